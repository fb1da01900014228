using System.Text;
using System.Text.Json.Nodes;
using Weir.Helm.Actions;
using Weir.Helm.Charts;
using Weir.Helm.Releases;
using Weir.Helm.Values;
using Weir.Runtime.Kube;
using Weir.Templates.Values;

namespace Weir.Helm.Tests.Releases;

/// <summary>Helm's actions against the embedded API server with the real KubernetesClient, checked with real kubectl.</summary>
public sealed class HelmActionTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>
{
    private const string ChartYaml = "apiVersion: v2\nname: web\nversion: 1.0.0\nappVersion: '1.0'\n";

    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Release.Name }}
        spec:
          replicas: 1
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: main
                image: nginx:{{ .Values.tag }}
        """;

    private const string ConfigMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-config
        data:
          greeting: {{ .Values.greeting | quote }}
        """;

    private static string HookPod(string name, string hookEvent, int weight, string? policy = null, string script = "exit 0") => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{name}}
          annotations:
            helm.sh/hook: {{hookEvent}}
            helm.sh/hook-weight: "{{weight}}"
        {{(policy is null ? "" : $"    helm.sh/hook-delete-policy: {policy}\n")}}spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox:1.36
            command: ["sh", "-c", "{{script}}"]
        """;

    private static Chart WebChart(params (string Name, string Text)[] extra) =>
        new ChartLoader().LoadFiles([
            new ChartFile("Chart.yaml", Encoding.UTF8.GetBytes(ChartYaml)),
            new ChartFile("values.yaml", Encoding.UTF8.GetBytes("tag: '1.25'\ngreeting: hello\n")),
            new ChartFile("templates/deployment.yaml", Encoding.UTF8.GetBytes(Deployment)),
            new ChartFile("templates/configmap.yaml", Encoding.UTF8.GetBytes(ConfigMap)),
            new ChartFile("templates/NOTES.txt", Encoding.UTF8.GetBytes("Thanks for installing {{ .Release.Name }}\n")),
            .. extra.Select(f => new ChartFile(f.Name, Encoding.UTF8.GetBytes(f.Text))),
        ]);

    private static GoMap Values(string yaml = "") => yaml.Length == 0 ? new GoMap() : ValuesReader.Read(yaml);

    [Fact]
    public async Task InstallUpgradeFailedUpgradeRollbackAndUninstallLeaveHelmsRecords()
    {
        const string ns = "lifecycle";
        await TestNamespaces.EnsureAsync(cluster.Client, ns);
        var helm = new HelmCluster(cluster.Client);
        var chart = WebChart(
            ("templates/hook-late.yaml", HookPod("web-late", "pre-install", 5, "hook-succeeded")),
            ("templates/hook-early.yaml", HookPod("web-early", "pre-install", -1)),
            ("templates/hook-upgrade.yaml", HookPod("web-pre-upgrade", "pre-upgrade", 0)));

        var installed = await helm.InstallAsync(chart, Values(), new InstallOptions("web", ns) { Wait = true, Timeout = TimeSpan.FromSeconds(60) });

        Assert.Equal((1, ReleaseStatus.Deployed, "Install complete"), (installed.Version, installed.Info.Status, installed.Info.Description));
        Assert.Equal("Thanks for installing web\n", installed.Info.Notes);
        var early = installed.Hooks.Single(h => h.Name == "web-early").LastRun;
        var late = installed.Hooks.Single(h => h.Name == "web-late").LastRun;
        Assert.Equal((HookExecution.Succeeded, HookExecution.Succeeded), (early.Phase, late.Phase));
        Assert.True(early.CompletedAt <= late.StartedAt, "the hook of weight -1 runs before the one of weight 5");
        Assert.Equal("web-early", await Kubectl("get", "pod", "web-early", "-n", ns, "-o", "jsonpath={.metadata.name}"));
        Assert.Contains("NotFound", await KubectlError("get", "pod", "web-late", "-n", ns), StringComparison.Ordinal);
        Assert.Equal("Helm web lifecycle", await Kubectl("get", "configmap", "web-config", "-n", ns, "-o",
            "jsonpath={.metadata.labels.app\\.kubernetes\\.io/managed-by} {.metadata.annotations.meta\\.helm\\.sh/release-name} {.metadata.annotations.meta\\.helm\\.sh/release-namespace}"));
        Assert.Equal("sh.helm.release.v1.web.v1 helm.sh/release.v1 web helm deployed 1", await Kubectl("get", "secret", "-n", ns, "-l", "owner=helm,name=web", "-o",
            "jsonpath={range .items[*]}{.metadata.name} {.type} {.metadata.labels.name} {.metadata.labels.owner} {.metadata.labels.status} {.metadata.labels.version}{end}"));

        var upgraded = await helm.UpgradeAsync(chart, Values("greeting: hi\n"), new UpgradeOptions("web", ns) { Wait = true, Timeout = TimeSpan.FromSeconds(60) });

        Assert.Equal((2, ReleaseStatus.Deployed, "Upgrade complete"), (upgraded.Version, upgraded.Info.Status, upgraded.Info.Description));
        Assert.Equal("hi", await Kubectl("get", "configmap", "web-config", "-n", ns, "-o", "jsonpath={.data.greeting}"));
        Assert.Equal("1:superseded 2:deployed", await Statuses(ns));
        var firstHookUid = await Kubectl("get", "pod", "web-pre-upgrade", "-n", ns, "-o", "jsonpath={.metadata.uid}");

        var failure = await Assert.ThrowsAsync<HelmActionException>(() => helm.UpgradeAsync(
            chart, Values("greeting: broken\ntag: 1.26-broken\n"), new UpgradeOptions("web", ns) { Wait = true, Timeout = TimeSpan.FromSeconds(3) }));

        Assert.Contains("Deployment/lifecycle/web", failure.Message, StringComparison.Ordinal);
        Assert.Equal((3, ReleaseStatus.Failed), (failure.Release!.Version, failure.Release.Info.Status));
        Assert.StartsWith("Upgrade \"web\" failed: ", failure.Release.Info.Description, StringComparison.Ordinal);
        Assert.Equal("1:superseded 2:deployed 3:failed", await Statuses(ns));
        Assert.NotEqual(firstHookUid, await Kubectl("get", "pod", "web-pre-upgrade", "-n", ns, "-o", "jsonpath={.metadata.uid}"));

        var store = helm.Store(ns);
        await store.UpdateAsync(failure.Release.WithStatus(ReleaseStatus.PendingUpgrade, "Preparing upgrade"));
        var locked = await Assert.ThrowsAsync<ReleaseInProgressException>(() => helm.UpgradeAsync(chart, Values(), new UpgradeOptions("web", ns)));
        Assert.Equal("another operation (install/upgrade/rollback) is in progress", locked.Message);
        await Assert.ThrowsAsync<ReleaseInProgressException>(() => helm.RollbackAsync(new RollbackOptions("web", ns)));
        await store.UpdateAsync(failure.Release);

        var rolledBack = await helm.RollbackAsync(new RollbackOptions("web", ns) { Version = 2, Wait = true, Timeout = TimeSpan.FromSeconds(60) });

        Assert.Equal((4, ReleaseStatus.Deployed, "Rollback to 2", 2), (rolledBack.Version, rolledBack.Info.Status, rolledBack.Info.Description, rolledBack.Info.RollbackRevision));
        Assert.Equal("hi nginx:1.25", await Kubectl("get", "configmap,deployment", "-n", ns, "-o", "jsonpath={.items[0].data.greeting} {.items[1].spec.template.spec.containers[0].image}"));
        Assert.Equal("1:superseded 2:superseded 3:failed 4:deployed", await Statuses(ns));

        var uninstalled = await helm.UninstallAsync(new UninstallOptions("web", ns) { KeepHistory = true, Wait = true, Timeout = TimeSpan.FromSeconds(30) });

        Assert.Equal((4, ReleaseStatus.Uninstalled, "Uninstallation complete"), (uninstalled!.Version, uninstalled.Info.Status, uninstalled.Info.Description));
        Assert.Contains("NotFound", await KubectlError("get", "configmap", "web-config", "-n", ns), StringComparison.Ordinal);
        Assert.Contains("NotFound", await KubectlError("get", "deployment", "web", "-n", ns), StringComparison.Ordinal);
        Assert.Equal("1:superseded 2:superseded 3:failed 4:uninstalled", await Statuses(ns));
        await Assert.ThrowsAsync<NoDeployedReleasesException>(() => helm.UpgradeAsync(chart, Values(), new UpgradeOptions("web", ns)));
        await Assert.ThrowsAsync<ReleaseNameInUseException>(() => helm.InstallAsync(chart, Values(), new InstallOptions("web", ns)));

        Assert.Null(await helm.UninstallAsync(new UninstallOptions("web", ns)));
        Assert.Equal("", await Statuses(ns));
    }

    [Fact]
    public async Task AFailingTestHookFailsTheTestAndItsRunIsRecorded()
    {
        const string ns = "tests";
        await TestNamespaces.EnsureAsync(cluster.Client, ns);
        var helm = new HelmCluster(cluster.Client);
        var chart = WebChart(
            ("templates/tests/ok.yaml", HookPod("web-test-ok", "test", 0)),
            ("templates/tests/bad.yaml", HookPod("web-test-bad", "test", 1, script: "exit 1")));
        await helm.InstallAsync(chart, Values(), new InstallOptions("web", ns));

        var error = await Assert.ThrowsAsync<ReleaseTestFailedException>(() => helm.TestAsync(new TestOptions("web", ns) { Timeout = TimeSpan.FromSeconds(60) }));

        Assert.Contains("pod web-test-bad failed", error.Message, StringComparison.Ordinal);
        var stored = await helm.Store(ns).GetAsync("web", 1);
        Assert.Equal(HookExecution.Succeeded, stored.Hooks.Single(h => h.Name == "web-test-ok").LastRun.Phase);
        Assert.Equal(HookExecution.Failed, stored.Hooks.Single(h => h.Name == "web-test-bad").LastRun.Phase);
        Assert.Equal("Error", await Kubectl("get", "pod", "web-test-bad", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].state.terminated.reason}"));
        Assert.Equal(ReleaseStatus.Deployed, stored.Info.Status);
    }

    [Fact]
    public async Task AFailedInstallWithRollbackOnFailureIsUninstalled()
    {
        const string ns = "atomic";
        await TestNamespaces.EnsureAsync(cluster.Client, ns);
        var helm = new HelmCluster(cluster.Client);
        var chart = WebChart(("templates/hook.yaml", HookPod("web-post", "post-install", 0, "hook-failed", "exit 2")));

        var error = await Assert.ThrowsAsync<HelmActionException>(() =>
            helm.InstallAsync(chart, Values(), new InstallOptions("web", ns) { RollbackOnFailure = true, Timeout = TimeSpan.FromSeconds(60) }));

        Assert.StartsWith("release web failed, and has been uninstalled due to rollback-on-failure being set: failed post-install: ", error.Message, StringComparison.Ordinal);
        Assert.Equal("", await Statuses(ns));
        Assert.Contains("NotFound", await KubectlError("get", "configmap", "web-config", "-n", ns), StringComparison.Ordinal);
        Assert.Contains("NotFound", await KubectlError("get", "pod", "web-post", "-n", ns), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallRefusesAResourceOfAnotherReleaseAndMaxHistoryKeepsTheNewest()
    {
        const string ns = "owners";
        await TestNamespaces.EnsureAsync(cluster.Client, ns);
        var helm = new HelmCluster(cluster.Client);
        await helm.InstallAsync(WebChart(), Values(), new InstallOptions("web", ns));

        var clash = await Assert.ThrowsAsync<ResourceOwnershipException>(() => helm.InstallAsync(
            new ChartLoader().LoadFiles([
                new ChartFile("Chart.yaml", Encoding.UTF8.GetBytes("apiVersion: v2\nname: other\nversion: 0.1.0\n")),
                new ChartFile("templates/cm.yaml", Encoding.UTF8.GetBytes("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n")),
            ]), Values(), new InstallOptions("other", ns)));

        Assert.Equal(
            "Unable to continue with install: ConfigMap \"web-config\" in namespace \"owners\" exists and cannot be imported into the current release: invalid ownership metadata; annotation validation error: key \"meta.helm.sh/release-name\" must equal \"other\": current value is \"web\"",
            clash.Message);
        Assert.Equal("", await Statuses(ns, "other"));

        for (var i = 0; i < 3; i++)
        {
            await helm.UpgradeAsync(WebChart(), Values($"greeting: v{i}\n"), new UpgradeOptions("web", ns) { MaxHistory = 2 });
        }

        Assert.Equal("3:superseded 4:deployed", await Statuses(ns));
    }

    [Fact]
    public async Task TemplatesSeeTheClustersCapabilitiesAndLookUpItsObjects()
    {
        const string ns = "lookup";
        await TestNamespaces.EnsureAsync(cluster.Client, ns);
        await cluster.Client.CreateAsync(KubeResource.ConfigMap, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "existing", ["namespace"] = ns },
            ["data"] = new JsonObject { ["password"] = "kept" },
        });
        var version = (await cluster.Client.GetPathAsync("/version"))!["gitVersion"]!.GetValue<string>();
        var chart = new ChartLoader().LoadFiles([
            new ChartFile("Chart.yaml", Encoding.UTF8.GetBytes("apiVersion: v2\nname: probe\nversion: 0.1.0\n")),
            new ChartFile("templates/cm.yaml", Encoding.UTF8.GetBytes("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: probe
                data:
                  kube: {{ .Capabilities.KubeVersion.Version | quote }}
                  flux: {{ .Capabilities.APIVersions.Has "source.toolkit.fluxcd.io/v1" | quote }}
                  found: {{ (lookup "v1" "ConfigMap" .Release.Namespace "existing").data.password | quote }}
                  missing: {{ lookup "v1" "ConfigMap" .Release.Namespace "absent" | len | quote }}
                  listed: {{ (lookup "v1" "ConfigMap" .Release.Namespace "").items | len | quote }}
                """)),
        ]);

        await new HelmCluster(cluster.Client).InstallAsync(chart, Values(), new InstallOptions("probe", ns));

        Assert.Equal($"{version} true kept 0 1", await Kubectl("get", "configmap", "probe", "-n", ns, "-o",
            "jsonpath={.data.kube} {.data.flux} {.data.found} {.data.missing} {.data.listed}"));
    }

    private async Task<string> Statuses(string ns, string name = "web")
    {
        var history = await new SecretReleaseStore(cluster.Client, ns).HistoryAsync(name);
        return string.Join(" ", history.Select(r => $"{r.Version}:{r.Info.Status}"));
    }

    private async Task<string> Kubectl(params string[] args)
    {
        var (code, output, error) = await Testing.Kubectl.RunAsync(cluster.Server.KubeconfigPath!, 32, args);
        Assert.True(code == 0, error);
        return output.Trim();
    }

    private async Task<string> KubectlError(params string[] args)
    {
        var (code, _, error) = await Testing.Kubectl.RunAsync(cluster.Server.KubeconfigPath!, 32, args);
        Assert.NotEqual(0, code);
        return error;
    }
}
