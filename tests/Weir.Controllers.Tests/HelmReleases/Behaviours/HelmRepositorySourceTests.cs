using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Testing;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.HelmReleases.Behaviours;

/// <summary>
/// HelmReleases whose <c>chart</c> template pulls from a HelmRepository served by real nginx: a repository that
/// becomes unreachable or refuses the credentials leaves the release at its last good revision, and a chart version
/// that does not exist is reported on the HelmChart and, as "source not ready", on the HelmRelease.
/// </summary>
public sealed class HelmRepositorySourceTests(HelmReleaseHarness stack, ChartRepositoryServer charts)
    : IClassFixture<HelmReleaseHarness>, IClassFixture<ChartRepositoryServer>
{
    [Fact]
    public async Task WrongCredentialsFailTheRepositoryAndTheReleaseStaysAtItsLastGoodRevision()
    {
        const string ns = "hr-repo-auth";
        await stack.CreateNamespaceAsync(ns);
        charts.Publish("auth", Package("1.0.0", "1.25"));
        await CreateSecretAsync(ns, "auth", charts.Password);
        await CreateRepositoryAsync(ns, "auth", charts.PrivateUrl("auth"), new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "auth" } });
        await CreateReleaseAsync(ns, "app", "auth");
        var installed = await stack.WaitForHelmReleaseAsync(ns, "app", r => IsReady(r, "True"), "installed");
        var installMessage = $"Helm install succeeded for release {ns}/app.v1 with chart app@1.0.0";
        Assert.Equal(installMessage, Message(Ready(installed)!));

        // A newer version is published while the repository refuses the (now wrong) credentials: nothing may move.
        await stack.Client.PatchAsync(KubeResource.Secret, new ObjectKey(ns, "auth"),
            new JsonObject { ["stringData"] = new JsonObject { ["password"] = "wrong-password-value" } }, "merge");
        charts.Publish("auth", Package("1.1.0", "1.26"));
        var denied = await WaitForRepositoryAsync(ns, "auth", "401 Unauthorized");
        Assert.Equal($"failed to fetch Helm repository index: failed to fetch {charts.PrivateUrl("auth")}/index.yaml : 401 Unauthorized", Message(Ready(denied)!));
        var get = await stack.Kubectl.OkAsync("get", "helmrepository", "auth", "-n", ns);
        // Flux's columns: NAME URL AGE READY STATUS.
        Assert.Matches(@"(?m)^auth\s+" + Regex.Escape(charts.PrivateUrl("auth")) + @"\s+\S+\s+False\s+failed to fetch Helm repository index: .* : 401 Unauthorized\s*$", get);
        Assert.DoesNotContain("wrong-password-value", get + await stack.Kubectl.OkAsync("describe", "helmrepository", "auth", "-n", ns));

        await AssertStaysAtFirstReleaseAsync(ns, "app", installMessage);
    }

    [Fact]
    public async Task AnUnreachableRepositoryFailsNamingTheCauseAndTheReleaseStaysAtItsLastGoodRevision()
    {
        const string ns = "hr-repo-down";
        await stack.CreateNamespaceAsync(ns);
        charts.Publish("down", Package("1.0.0", "1.25"));
        await CreateRepositoryAsync(ns, "down", charts.PublicUrl("down"));
        await CreateReleaseAsync(ns, "app", "down");
        var installMessage = $"Helm install succeeded for release {ns}/app.v1 with chart app@1.0.0";
        Assert.Equal(installMessage, Message(Ready(await stack.WaitForHelmReleaseAsync(ns, "app", r => IsReady(r, "True"), "installed"))!));

        charts.Publish("down", Package("1.1.0", "1.26"));
        var closed = TestEnv.FreePort();
        await stack.Client.PatchAsync(KubeResource.HelmRepository, new ObjectKey(ns, "down"),
            new JsonObject { ["spec"] = new JsonObject { ["url"] = $"http://127.0.0.1:{closed}/charts" } }, "merge");
        var unreachable = await WaitForRepositoryAsync(ns, "down", $"{closed}");
        Assert.StartsWith($"failed to fetch Helm repository index: Get \"http://127.0.0.1:{closed}/charts/index.yaml\": Connection refused", Message(Ready(unreachable)!));
        Assert.Matches(@"(?m)^down\s+.*False\s+failed to fetch Helm repository index: Get .*Connection refused", await stack.Kubectl.OkAsync("get", "helmrepository", "-n", ns));

        await AssertStaysAtFirstReleaseAsync(ns, "app", installMessage);
    }

    [Fact]
    public async Task AChartVersionThatDoesNotExistFailsTheHelmChartAndTheReleaseSaysItsSourceIsNotReady()
    {
        const string ns = "hr-repo-missing";
        await stack.CreateNamespaceAsync(ns);
        charts.Publish("missing", Weir.Testing.TestCharts.Package("x", "1.0.0"));
        await CreateRepositoryAsync(ns, "missing", charts.PublicUrl("missing"));
        await CreateReleaseAsync(ns, "app", "missing", chart: "x", version: "9.9.9");

        const string cause = "invalid chart reference: failed to get chart version for remote reference: no 'x' chart with version matching '9.9.9' found";
        var release = await stack.WaitForHelmReleaseAsync(ns, "app", r => IsReady(r, "False") && Message(Ready(r)!).Contains("9.9.9"), "source not ready");
        Assert.Equal("SourceNotReady", Reason(Ready(release)!));
        Assert.Equal($"HelmChart '{ns}/{ns}-app' is not ready: {cause}", Message(Ready(release)!));
        Assert.Equal($"{ns}/{ns}-app", release["status"]!["helmChart"]!.GetValue<string>());
        Assert.Null(release["status"]!["history"]?.AsArray().FirstOrDefault());

        var chart = await stack.Client.GetAsync(KubeResource.HelmChart, new ObjectKey(ns, $"{ns}-app"));
        Assert.Equal(cause, Message(Ready(chart)!));
        Assert.Equal("True", Status(Condition(chart, "Stalled")!));
        Assert.Matches(@"(?m)^" + ns + @"-app\s+.*False\s+" + Regex.Escape(cause), await stack.Kubectl.OkAsync("get", "helmchart", "-n", ns));
        Assert.Matches(@"(?m)^app\s+False\s+" + Regex.Escape($"HelmChart '{ns}/{ns}-app' is not ready: {cause}"), await stack.Kubectl.OkAsync("get", "helmrelease", "-n", ns));
        Assert.Equal("", (await stack.Kubectl.OkAsync("get", "secrets", "-n", ns, "-l", "owner=helm", "-o", "name")).Trim());
    }

    /// <summary>
    /// The HelmChart and the HelmRelease are reconciled again (the chart's version range now matches 1.1.0, if only
    /// the index could be fetched); the release keeps revision 1 of chart 1.0.0, its workload keeps its image, and the
    /// HelmRelease stays Ready with its install message, as Flux leaves it.
    /// </summary>
    private async Task AssertStaysAtFirstReleaseAsync(string ns, string name, string installMessage)
    {
        await stack.RequestAsync(KubeResource.HelmChart, ns, $"{ns}-{name}");
        await StatusConditions.WaitForAsync(() => stack.Client.GetAsync(KubeResource.HelmChart, new ObjectKey(ns, $"{ns}-{name}")),
            c => c["status"]?["lastHandledReconcileAt"] is not null, "chart reconciled again");
        var release = await stack.ReconcileAndWaitAsync(ns, name);

        Assert.True(IsReady(release, "True"));
        Assert.Equal(installMessage, Message(Ready(release)!));
        Assert.Equal("1.0.0", release["status"]!["lastAttemptedRevision"]!.GetValue<string>());
        var history = Assert.Single(release["status"]!["history"]!.AsArray());
        Assert.Equal(1, history!["version"]!.GetValue<int>());
        Assert.Equal("1.0.0", history["chartVersion"]!.GetValue<string>());
        var chart = await stack.Client.GetAsync(KubeResource.HelmChart, new ObjectKey(ns, $"{ns}-{name}"));
        Assert.Equal("1.0.0", chart!["status"]!["artifact"]!["revision"]!.GetValue<string>());

        var secrets = await stack.Kubectl.OkAsync("get", "secrets", "-n", ns, "-l", $"owner=helm,name={name}",
            "-o", "jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.status}{\"\\n\"}{end}");
        Assert.Equal($"sh.helm.release.v1.{name}.v1=deployed", secrets.Trim());
        Assert.Equal("nginx:1.25", await stack.Kubectl.OkAsync("get", "deployment", name, "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}"));
        Assert.Matches(@"(?m)^" + name + @"\s+True\s+" + Regex.Escape(installMessage), await stack.Kubectl.OkAsync("get", "helmrelease", "-n", ns));
    }

    /// <summary>Chart <c>app</c> at <paramref name="version"/> whose Deployment runs <c>nginx:<paramref name="tag"/></c>.</summary>
    private static byte[] Package(string version, string tag) => Weir.Testing.TestCharts.Package("app", version,
        TestCharts.App("app", version, ("values.yaml", $"tag: '{tag}'\ngreeting: hello\nreplicaCount: 1\n")));

    private Task CreateSecretAsync(string ns, string name, string password) =>
        stack.Client.CreateAsync(KubeResource.Secret, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["data"] = new JsonObject
            {
                ["username"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(charts.Username)),
                ["password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(password)),
            },
        });

    private Task CreateRepositoryAsync(string ns, string name, string url, JsonObject? extra = null)
    {
        var spec = new JsonObject { ["url"] = url, ["interval"] = "10m" };
        foreach (var (k, v) in extra ?? [])
        {
            spec[k] = v?.DeepClone();
        }

        return stack.Client.CreateAsync(KubeResource.HelmRepository, new JsonObject
        {
            ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
            ["kind"] = "HelmRepository",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        });
    }

    /// <summary>A HelmRelease whose <c>chart</c> template pulls <paramref name="chart"/> from HelmRepository <paramref name="repository"/>.</summary>
    private Task CreateReleaseAsync(string ns, string name, string repository, string chart = "app", string version = "*") =>
        stack.Client.CreateAsync(KubeResource.HelmRelease, new JsonObject
        {
            ["apiVersion"] = "helm.toolkit.fluxcd.io/v2",
            ["kind"] = "HelmRelease",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["interval"] = "10m",
                ["timeout"] = "20s",
                ["chart"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["chart"] = chart,
                        ["version"] = version,
                        ["sourceRef"] = new JsonObject { ["kind"] = "HelmRepository", ["name"] = repository },
                    },
                },
            },
        });

    /// <summary>Requests a reconcile of the HelmRepository and waits until its Ready is False with a message containing <paramref name="cause"/>.</summary>
    private async Task<JsonObject> WaitForRepositoryAsync(string ns, string name, string cause)
    {
        await stack.RequestAsync(KubeResource.HelmRepository, ns, name);
        return await StatusConditions.WaitForAsync(() => stack.Client.GetAsync(KubeResource.HelmRepository, new ObjectKey(ns, name)),
            r => IsReady(r, "False") && Message(Ready(r)!).Contains(cause), $"HelmRepository {ns}/{name} failing with '{cause}'");
    }
}
