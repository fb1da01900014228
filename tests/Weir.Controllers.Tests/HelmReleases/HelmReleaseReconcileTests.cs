using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.HelmReleases;

/// <summary>
/// HelmReleases end to end on the embedded stack — registry, OCIRepository, HelmRelease, Helm's release Secrets —
/// read back with real kubectl, as the seeds tell users to check them.
/// </summary>
public sealed partial class HelmReleaseReconcileTests(HelmReleaseHarness stack) : IClassFixture<HelmReleaseHarness>
{
    private static readonly JsonObject Semver = new() { ["semver"] = ">=0.0.0" };

    [Fact]
    public async Task InstallShowsReadyWithFluxsMessageAndWritesHelmsReleaseSecret()
    {
        const string ns = "my-app";
        await stack.CreateNamespaceAsync(ns);
        await stack.PushChartAsync("charts/my-app", TestCharts.App("my-app", "1.2.3"));
        await stack.CreateChartRepositoryAsync(ns, "my-app", "charts/my-app", Semver);
        await stack.CreateHelmReleaseAsync(ns, "my-app", "my-app", new JsonObject { ["values"] = new JsonObject { ["greeting"] = "hi there" } });

        const string message = "Helm install succeeded for release my-app/my-app.v1 with chart my-app@1.2.3";
        var release = await stack.WaitForHelmReleaseAsync(ns, "my-app", r => IsReady(r, "True"), "Ready");
        Assert.Equal(message, Message(Ready(release)!));
        Assert.Equal("InstallSucceeded", Reason(Ready(release)!));
        Assert.Equal("1.2.3", release["status"]!["lastAttemptedRevision"]!.GetValue<string>());
        Assert.Equal("install", release["status"]!["lastAttemptedReleaseAction"]!.GetValue<string>());
        var snapshot = release["status"]!["history"]![0]!;
        Assert.Equal("my-app", snapshot["chartName"]!.GetValue<string>());
        Assert.Equal("deployed", snapshot["status"]!.GetValue<string>());
        Assert.Equal(release["status"]!["lastAttemptedConfigDigest"]!.GetValue<string>(), snapshot["configDigest"]!.GetValue<string>());

        var get = await stack.Kubectl.OkAsync("get", "helmrelease", "-n", ns);
        Assert.Matches(@"(?m)^NAME\s+READY\s+STATUS\s+AGE\s*$", get);
        Assert.Matches(@"(?m)^my-app\s+True\s+" + Regex.Escape(message) + @"\s+\S+\s*$", get);

        var describe = await stack.Kubectl.OkAsync("describe", "helmrelease", "my-app", "-n", ns);
        Assert.Contains("Conditions:", describe);
        Assert.Matches(@"Reason:\s+InstallSucceeded", describe);
        Assert.Matches(@"Type:\s+Released", describe);
        Assert.Matches(@"Normal\s+InstallSucceeded\s+.*helm-controller\s+" + Regex.Escape(message), describe);

        var configMap = await stack.Kubectl.OkAsync("get", "configmap", "my-app-config", "-n", ns, "-o", "jsonpath={.data.greeting}");
        Assert.Equal("hi there", configMap);

        // Helm's storage format, decoded here without Weir: base64 (the Secret) of base64 of gzip of the JSON record.
        var names = await stack.Kubectl.OkAsync("get", "secrets", "-n", ns, "-l", "owner=helm,name=my-app", "-o", "jsonpath={.items[*].metadata.name}");
        Assert.Equal("sh.helm.release.v1.my-app.v1", names.Trim());
        var data = await stack.Kubectl.OkAsync("get", "secret", "sh.helm.release.v1.my-app.v1", "-n", ns, "-o", "jsonpath={.data.release}");
        var record = DecodeRelease(data);
        Assert.Equal("my-app", record["name"]!.GetValue<string>());
        Assert.Equal(1, record["version"]!.GetValue<int>());
        Assert.Equal("deployed", record["info"]!["status"]!.GetValue<string>());
        Assert.Equal("my-app", record["chart"]!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("1.2.3", record["chart"]!["metadata"]!["version"]!.GetValue<string>());
        Assert.Equal("hi there", record["config"]!["greeting"]!.GetValue<string>());
        var labels = await stack.Kubectl.OkAsync("get", "secret", "sh.helm.release.v1.my-app.v1", "-n", ns, "-o", "jsonpath={.metadata.labels.status}/{.type}");
        Assert.Equal("deployed/helm.sh/release.v1", labels);
    }

    [Fact]
    public async Task ANewChartVersionInASemverRangeIsUpgradedToAndAPinnedVersionIsNot()
    {
        const string ns = "hr-upgrade";
        await stack.CreateNamespaceAsync(ns);
        await stack.PushChartAsync("charts/web", TestCharts.App("web", "1.0.0"));
        await stack.CreateChartRepositoryAsync(ns, "ranged", "charts/web", Semver);
        await stack.CreateChartRepositoryAsync(ns, "pinned", "charts/web", new JsonObject { ["tag"] = "1.0.0" });
        await stack.CreateHelmReleaseAsync(ns, "ranged", "ranged");
        await stack.CreateHelmReleaseAsync(ns, "pinned", "pinned");
        await stack.WaitForHelmReleaseAsync(ns, "ranged", r => IsReady(r, "True"), "installed");
        await stack.WaitForHelmReleaseAsync(ns, "pinned", r => IsReady(r, "True"), "installed");

        await stack.PushChartAsync("charts/web", TestCharts.App("web", "1.1.0"));
        await stack.RequestAsync(KubeResource.OCIRepository, ns, "ranged");
        await stack.RequestAsync(KubeResource.OCIRepository, ns, "pinned");
        var upgraded = await stack.WaitForHelmReleaseAsync(ns, "ranged",
            r => IsReady(r, "True") && Reason(Ready(r)!) == "UpgradeSucceeded", "upgraded");
        Assert.Equal($"Helm upgrade succeeded for release {ns}/ranged.v2 with chart web@1.1.0", Message(Ready(upgraded)!));
        Assert.Equal("superseded", upgraded["status"]!["history"]![1]!["status"]!.GetValue<string>());

        var pinnedSource = await stack.Client.GetAsync(KubeResource.OCIRepository, new ObjectKey(ns, "pinned"));
        await WaitForAsync(() => stack.Client.GetAsync(KubeResource.OCIRepository, new ObjectKey(ns, "pinned")),
            o => o["status"]?["lastHandledReconcileAt"] is not null, "pinned source reconciled");
        var pinned = await stack.Client.GetAsync(KubeResource.HelmRelease, new ObjectKey(ns, "pinned"));
        Assert.Equal($"Helm install succeeded for release {ns}/pinned.v1 with chart web@1.0.0", Message(Ready(pinned)!));
        Assert.Single((JsonArray)pinned!["status"]!["history"]!);
        var get = await stack.Kubectl.OkAsync("get", "helmrelease", "-n", ns);
        Assert.Matches(@"(?m)^pinned\s+True\s+Helm install succeeded .*web@1\.0\.0", get);
        Assert.Matches(@"(?m)^ranged\s+True\s+Helm upgrade succeeded .*web@1\.1\.0", get);
        Assert.NotNull(pinnedSource);
    }

    [Fact]
    public async Task AFailedUpgradeIsRolledBackAndStallsWhenItsRetriesAreUsedUp()
    {
        const string ns = "hr-rollback";
        await stack.CreateNamespaceAsync(ns);
        await stack.PushChartAsync("charts/roll", TestCharts.App("roll", "2.0.0"));
        await stack.CreateChartRepositoryAsync(ns, "roll", "charts/roll", Semver);
        await stack.CreateHelmReleaseAsync(ns, "roll", "roll", new JsonObject
        {
            ["upgrade"] = new JsonObject { ["timeout"] = "2s", ["remediation"] = new JsonObject { ["retries"] = 1 } },
        });
        await stack.WaitForHelmReleaseAsync(ns, "roll", r => IsReady(r, "True"), "installed");

        // An image the embedded cluster cannot pull: the upgraded Deployment never becomes ready.
        await stack.PatchHelmReleaseAsync(ns, "roll", new JsonObject { ["values"] = new JsonObject { ["tag"] = "1.25-broken" } });
        var stalled = await stack.WaitForHelmReleaseAsync(ns, "roll", r => Condition(r, "Stalled") is not null, "stalled", TimeSpan.FromSeconds(90));

        Assert.Equal("RetriesExceeded", Reason(Condition(stalled, "Stalled")!));
        Assert.Equal("Failed to upgrade after 2 attempt(s)", Message(Condition(stalled, "Stalled")!));
        var ready = Ready(stalled)!;
        Assert.Equal("False", Status(ready));
        Assert.Equal("RollbackSucceeded", Reason(ready));
        Assert.Matches($@"^Helm rollback to previous release {ns}/roll\.v\d with chart roll@2\.0\.0 succeeded$", Message(ready));
        Assert.Equal("UpgradeFailed", Reason(Condition(stalled, "Released")!));
        Assert.StartsWith($"Helm upgrade failed for release {ns}/roll with chart roll@2.0.0: ", Message(Condition(stalled, "Released")!));
        Assert.Equal(2, stalled["status"]!["upgradeFailures"]!.GetValue<long>());
        Assert.Null(Condition(stalled, "Reconciling"));

        var events = (await stack.EventsAsync(ns, "roll")).Select(e => (e["reason"]!.GetValue<string>(), e["type"]!.GetValue<string>())).ToList();
        Assert.Contains(("UpgradeFailed", "Warning"), events);
        Assert.Contains(("RollbackSucceeded", "Normal"), events);

        var get = await stack.Kubectl.OkAsync("get", "helmrelease", "roll", "-n", ns);
        Assert.Matches(@"(?m)^roll\s+False\s+Helm rollback to previous release", get);
        var statuses = await stack.Kubectl.OkAsync("get", "secrets", "-n", ns, "-l", "owner=helm,name=roll",
            "-o", "jsonpath={range .items[*]}{.metadata.labels.version}={.metadata.labels.status}{\"\\n\"}{end}");
        var byVersion = statuses.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')).ToDictionary(p => int.Parse(p[0]), p => p[1]);
        Assert.Equal("deployed", byVersion[byVersion.Keys.Max()]);
        Assert.Contains("failed", byVersion.Values);
        var image = await stack.Kubectl.OkAsync("get", "deployment", "roll", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}");
        Assert.Equal("nginx:1.25", image);
    }

    [Fact]
    public async Task AFailingTestHookFailsTestSuccessAndIgnoreFailuresKeepsItReady()
    {
        const string ns = "hr-tests";
        await stack.CreateNamespaceAsync(ns);
        await stack.PushChartAsync("charts/tested", TestCharts.App("tested", "0.1.0", TestCharts.TestHook("smoke", fails: true)));
        await stack.CreateChartRepositoryAsync(ns, "tested", "charts/tested", Semver);
        await stack.CreateHelmReleaseAsync(ns, "strict", "tested", new JsonObject { ["test"] = new JsonObject { ["enable"] = true } });
        await stack.CreateHelmReleaseAsync(ns, "lenient", "tested", new JsonObject
        {
            ["test"] = new JsonObject { ["enable"] = true, ["ignoreFailures"] = true },
        });

        var strict = await stack.WaitForHelmReleaseAsync(ns, "strict", r => Condition(r, "TestSuccess") is { } t && IsFalse(t) && IsReady(r, "False"), "tests failed");
        Assert.Equal("TestFailed", Reason(Condition(strict, "TestSuccess")!));
        Assert.StartsWith($"Helm test failed for release {ns}/strict.v1 with chart tested@0.1.0: ", Message(Condition(strict, "TestSuccess")!));
        Assert.Equal("Failed", strict["status"]!["history"]![0]!["testHooks"]!["smoke"]!["phase"]!.GetValue<string>());

        var lenient = await stack.WaitForHelmReleaseAsync(ns, "lenient", r => Condition(r, "TestSuccess") is { } t && IsFalse(t), "tests failed");
        lenient = await stack.WaitForHelmReleaseAsync(ns, "lenient", r => IsReady(r, "True"), "ready despite the failed test");
        Assert.Equal($"Helm install succeeded for release {ns}/lenient.v1 with chart tested@0.1.0", Message(Ready(lenient)!));
        Assert.Equal("TestFailed", Reason(Condition(lenient, "TestSuccess")!));

        var get = await stack.Kubectl.OkAsync("get", "helmrelease", "-n", ns);
        Assert.Matches(@"(?m)^lenient\s+True\s+Helm install succeeded", get);
        Assert.Matches(@"(?m)^strict\s+False\s+Helm test failed", get);
        var describe = await stack.Kubectl.OkAsync("describe", "helmrelease", "strict", "-n", ns);
        Assert.Matches(@"Warning\s+TestFailed", describe);
    }

    [Fact]
    public async Task APassingTestHookMakesTestSuccessTrue()
    {
        const string ns = "hr-tests-pass";
        await stack.CreateNamespaceAsync(ns);
        await stack.PushChartAsync("charts/passing", TestCharts.App("passing", "0.2.0", TestCharts.TestHook("smoke", fails: false)));
        await stack.CreateChartRepositoryAsync(ns, "passing", "charts/passing", Semver);
        await stack.CreateHelmReleaseAsync(ns, "passing", "passing", new JsonObject { ["test"] = new JsonObject { ["enable"] = true } });

        var release = await stack.WaitForHelmReleaseAsync(ns, "passing", r => IsReady(r, "True"), "tested");
        Assert.Equal($"Helm test succeeded for release {ns}/passing.v1 with chart passing@0.2.0: 1 test hook completed successfully", Message(Ready(release)!));
        Assert.Equal("TestSucceeded", Reason(Condition(release, "TestSuccess")!));
    }

    [Fact]
    public async Task ValuesBreakingTheChartsSchemaAreReportedNamingTheField()
    {
        const string ns = "hr-schema";
        await stack.CreateNamespaceAsync(ns);
        const string schema = """
            {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
             "properties": {"replicaCount": {"type": "integer"}}}
            """;
        await stack.PushChartAsync("charts/schema", TestCharts.App("schema", "1.0.0", ("values.schema.json", schema)));
        await stack.CreateChartRepositoryAsync(ns, "schema", "charts/schema", Semver);
        await stack.CreateHelmReleaseAsync(ns, "schema", "schema", new JsonObject { ["values"] = new JsonObject { ["replicaCount"] = "three" } });

        var release = await stack.WaitForHelmReleaseAsync(ns, "schema", r => IsReady(r, "False") && Reason(Ready(r)!) != "SourceNotReady", "failed");
        var ready = Ready(release)!;
        Assert.Equal("InstallFailed", Reason(ready));
        Assert.StartsWith($"Helm install failed for release {ns}/schema with chart schema@1.0.0: ", Message(ready));
        Assert.Contains("replicaCount", Message(ready));
        var secrets = await stack.Kubectl.OkAsync("get", "secrets", "-n", ns, "-l", "owner=helm", "-o", "name");
        Assert.Equal("", secrets.Trim());
    }

    [Fact]
    public async Task DeletingTheHelmReleaseUninstallsItsRelease()
    {
        const string ns = "hr-delete";
        await stack.CreateNamespaceAsync(ns);
        await stack.PushChartAsync("charts/gone", TestCharts.App("gone", "1.0.0"));
        await stack.CreateChartRepositoryAsync(ns, "gone", "charts/gone", Semver);
        await stack.CreateHelmReleaseAsync(ns, "gone", "gone");
        await stack.WaitForHelmReleaseAsync(ns, "gone", r => IsReady(r, "True"), "installed");

        await stack.Kubectl.OkAsync("delete", "helmrelease", "gone", "-n", ns, "--wait=true", "--timeout=30s");
        Assert.Equal("", (await stack.Kubectl.OkAsync("get", "secrets,deployments,configmaps", "-n", ns, "-l", "owner=helm", "-o", "name")).Trim());
        var deployments = await stack.Kubectl.OkAsync("get", "deployments", "-n", ns, "-o", "name");
        Assert.Equal("", deployments.Trim());
    }

    private static JsonObject DecodeRelease(string secretData)
    {
        var record = Convert.FromBase64String(Encoding.ASCII.GetString(Convert.FromBase64String(secretData)));
        using var gzip = new GZipStream(new MemoryStream(record), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return (JsonObject)JsonNode.Parse(reader.ReadToEnd())!;
    }
}
