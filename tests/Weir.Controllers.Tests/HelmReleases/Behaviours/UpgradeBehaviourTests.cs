using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.HelmReleases.Behaviours;

/// <summary>
/// What an upgrade does besides rendering the new chart: uninstall remediation after a failure, the <c>crds</c>
/// policies of install and upgrade on a chart with a <c>crds/</c> directory, and <c>preserveValues</c>.
/// </summary>
public sealed class UpgradeBehaviourTests(HelmReleaseHarness stack) : IClassFixture<HelmReleaseHarness>
{
    [Fact]
    public async Task AFailedUpgradeWithTheUninstallStrategyIsRemediatedByUninstallingTheRelease()
    {
        const string ns = "hr-uninstall";
        await stack.PrepareChartAsync(ns, "un");
        await stack.CreateHelmReleaseAsync(ns, "un", "un", new JsonObject
        {
            ["install"] = new JsonObject { ["timeout"] = "10s" },
            ["upgrade"] = new JsonObject
            {
                ["timeout"] = "2s",
                ["remediation"] = new JsonObject { ["retries"] = 1, ["strategy"] = "uninstall" },
            },
        });
        await stack.WaitForHelmReleaseAsync(ns, "un", r => IsReady(r, "True"), "installed");

        // An image the embedded cluster cannot pull: the upgraded Deployment never becomes ready. The upgrade fails,
        // the uninstall remediates it, the next reconcile installs anew, fails too, and without install retries stalls.
        await stack.PatchHelmReleaseAsync(ns, "un", new JsonObject { ["values"] = new JsonObject { ["tag"] = "1.25-broken" } });
        var stalled = await stack.WaitForHelmReleaseAsync(ns, "un", r => Condition(r, "Stalled") is not null, "stalled", TimeSpan.FromSeconds(90));
        Assert.Equal("Failed to install after 1 attempt(s)", Message(Condition(stalled, "Stalled")!));
        Assert.StartsWith($"Helm install failed for release {ns}/un with chart un@1.0.0: ", Message(Ready(stalled)!));
        Assert.Equal(1, stalled["status"]!["upgradeFailures"]!.GetValue<long>());

        var events = (await stack.EventsAsync(ns, "un")).Select(e => (e["reason"]!.GetValue<string>(), e["message"]!.GetValue<string>())).ToList();
        Assert.Equal(["InstallFailed", "InstallSucceeded", "RetriesExceeded", "UninstallSucceeded", "UpgradeFailed"], events.Select(e => e.Item1).Distinct().Order());
        Assert.Contains(("UninstallSucceeded", $"Helm uninstall remediation for release {ns}/un.v2 with chart un@1.0.0 succeeded"), events);

        // The uninstall took the release's history with it (keepHistory is off): only the failed new install is left.
        var secrets = await stack.Kubectl.OkAsync("get", "secrets", "-n", ns, "-l", "owner=helm,name=un",
            "-o", "jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.status}{\"\\n\"}{end}");
        Assert.Equal("sh.helm.release.v1.un.v1=failed", secrets.Trim());
    }

    [Fact]
    public async Task TheCrdsPoliciesDecideWhetherTheChartsCrdsAreCreatedOrReplaced()
    {
        const string ns = "hr-crds";
        await stack.CreateNamespaceAsync(ns);
        var policies = new Dictionary<string, JsonObject>
        {
            // Install creates, upgrade skips: Flux's defaults.
            ["defaults"] = [],
            ["skip"] = new() { ["install"] = new JsonObject { ["crds"] = "Skip" } },
            ["create"] = new() { ["upgrade"] = new JsonObject { ["crds"] = "Create" } },
            ["replace"] = new() { ["upgrade"] = new JsonObject { ["crds"] = "CreateReplace" } },
        };
        foreach (var (name, spec) in policies)
        {
            await stack.PushChartAsync($"charts/crd-{name}", CrdChart(name, "1.0.0"));
            await stack.CreateChartRepositoryAsync(ns, name, $"charts/crd-{name}", HelmReleaseHarness.AnyVersion);
            await stack.CreateHelmReleaseAsync(ns, name, name, spec);
        }

        foreach (var name in policies.Keys)
        {
            await stack.WaitForHelmReleaseAsync(ns, name, r => IsReady(r, "True"), "installed");
        }

        Assert.Equal("v1", await DescriptionAsync("widgets", "defaults"));
        Assert.Null(await DescriptionAsync("widgets", "skip"));
        Assert.Equal("v1", await DescriptionAsync("widgets", "create"));
        Assert.Equal("v1", await DescriptionAsync("widgets", "replace"));

        // Version 2 changes the Widget CRD and adds a Gadget CRD.
        foreach (var name in policies.Keys)
        {
            await stack.PushChartAsync($"charts/crd-{name}", CrdChart(name, "2.0.0"));
            await stack.RequestAsync(KubeResource.OCIRepository, ns, name);
        }

        foreach (var name in policies.Keys)
        {
            var upgraded = await stack.WaitForHelmReleaseAsync(ns, name, r => IsReady(r, "True") && Reason(Ready(r)!) == "UpgradeSucceeded", "upgraded");
            Assert.Equal($"Helm upgrade succeeded for release {ns}/{name}.v2 with chart crd-{name}@2.0.0", Message(Ready(upgraded)!));
        }

        var after = new List<string>();
        foreach (var name in policies.Keys)
        {
            after.Add($"{name}: widgets {await DescriptionAsync("widgets", name) ?? "absent"}, gadgets {await DescriptionAsync("gadgets", name) ?? "absent"}");
        }

        Assert.Equal(
            [
                "defaults: widgets v1, gadgets absent",
                "skip: widgets absent, gadgets absent",
                "create: widgets v1, gadgets v2",
                "replace: widgets v2, gadgets v2",
            ],
            after);
    }

    [Fact]
    public async Task PreserveValuesKeepsTheValuesOfTheLastReleaseUnderTheNewOnes()
    {
        const string ns = "hr-preserve";
        await stack.PrepareChartAsync(ns, "kept");
        var first = new JsonObject { ["greeting"] = "first", ["replicaCount"] = 1 };
        await stack.CreateHelmReleaseAsync(ns, "preserved", "kept", new JsonObject
        {
            ["values"] = first.DeepClone(),
            ["upgrade"] = new JsonObject { ["preserveValues"] = true },
        });
        await stack.CreateHelmReleaseAsync(ns, "reset", "kept", new JsonObject { ["values"] = first });

        foreach (var name in new[] { "preserved", "reset" })
        {
            await stack.WaitForHelmReleaseAsync(ns, name, r => IsReady(r, "True"), "installed");
            Assert.Equal("first", await stack.GreetingAsync(ns, name));

            // The greeting is dropped from the values (a merge patch's null), the replica count changes.
            await stack.Client.PatchAsync(KubeResource.HelmRelease, new ObjectKey(ns, name), JsonNode.Parse("""
                {"spec": {"values": {"greeting": null, "replicaCount": 2}}}
                """)!.AsObject(), "merge");
            await stack.WaitForHelmReleaseAsync(ns, name, r => IsReady(r, "True") && Reason(Ready(r)!) == "UpgradeSucceeded", "upgraded");
            Assert.Equal("2", await stack.Kubectl.OkAsync("get", "deployment", name, "-n", ns, "-o", "jsonpath={.spec.replicas}"));
        }

        Assert.Equal("first", await stack.GreetingAsync(ns, "preserved"));
        Assert.Equal("hello", await stack.GreetingAsync(ns, "reset"));
    }

    /// <summary>The schema description of CRD <c>PLURAL.NAME.example.com</c> (which says which chart version wrote it), or null when absent.</summary>
    private async Task<string?> DescriptionAsync(string plural, string name)
    {
        var result = await stack.Kubectl.RunAsync("get", "crd", $"{plural}.{name}.example.com", "-o", "jsonpath={.spec.versions[0].schema.openAPIV3Schema.description}");
        if (result.Code != 0)
        {
            Assert.Contains("NotFound", result.Err);
            return null;
        }

        return result.Out;
    }

    /// <summary>
    /// Chart <c>crd-NAME</c>: the test chart plus <c>crds/</c> with the Widget CRD of group <c>NAME.example.com</c>; version
    /// 2.0.0 changes that CRD's description to <c>v2</c> and adds a Gadget CRD.
    /// </summary>
    private static Dictionary<string, string> CrdChart(string name, string version)
    {
        var marker = version == "1.0.0" ? "v1" : "v2";
        var files = TestCharts.App($"crd-{name}", version, ("crds/widgets.yaml", Crd(name, "widget", marker)));
        if (marker == "v2")
        {
            files["crds/gadgets.yaml"] = Crd(name, "gadget", marker);
        }

        return files;
    }

    private static string Crd(string group, string singular, string marker) => $$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: {{singular}}s.{{group}}.example.com
        spec:
          group: {{group}}.example.com
          scope: Namespaced
          names: {plural: {{singular}}s, singular: {{singular}}, kind: {{char.ToUpperInvariant(singular[0])}}{{singular[1..]}}}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                description: {{marker}}
                x-kubernetes-preserve-unknown-fields: true
        """;
}
