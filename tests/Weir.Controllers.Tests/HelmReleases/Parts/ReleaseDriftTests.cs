using Weir.Controllers.HelmReleases.Drift;
using Weir.Core.Api.Helm;
using Weir.Core.Api.Meta;
using Weir.Helm.Actions;
using Weir.Helm.Charts;
using Weir.Helm.Releases;
using Weir.Templates.Values;
using Weir.Testing;

namespace Weir.Controllers.Tests.HelmReleases.Parts;

/// <summary>Drift of a release installed with HelmCluster on the embedded API server, made with real kubectl, detected and corrected.</summary>
public sealed class ReleaseDriftTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>
{
    private static Chart Chart() => WebChart.With(("unwatched.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-unwatched\n  annotations:\n    helm.toolkit.fluxcd.io/driftDetection: disabled\ndata:\n  a: b\n"));

    private async Task<Release> InstallAsync(string ns)
    {
        await ClusterObjects.NamespaceAsync(cluster.Client, ns);
        return await new HelmCluster(cluster.Client).InstallAsync(Chart(), new GoMap(), new InstallOptions("web", ns));
    }

    private Task<string> Kubectl(params string[] args) => ClusterObjects.KubectlAsync(cluster, args);

    [Fact]
    public async Task ScaledAndDeletedObjectsAreReportedAndCorrected()
    {
        const string ns = "drift-enabled";
        var release = await InstallAsync(ns);
        var drift = new ReleaseDrift(cluster.Client);

        var clean = await drift.DetectAsync(release, null);
        Assert.False(clean.HasDrift);
        Assert.Equal($"ConfigMap/{ns}/web-unwatched excluded", clean.Summary);

        await Kubectl("scale", "deployment", "web", "-n", ns, "--replicas=3");
        await Kubectl("delete", "configmap", "web-config", "-n", ns);
        await Kubectl("patch", "configmap", "web-unwatched", "-n", ns, "--type=merge", "-p", """{"data":{"a":"changed"}}""");

        var report = await drift.DetectAsync(release, null);

        Assert.True(report.HasDrift);
        Assert.Equal("removed: 1, changed: 1, excluded: 1", report.Brief);
        Assert.Equal(
            $"Cluster state of release {ns}/web.v1 has drifted from the desired state:\n"
            + $"ConfigMap/{ns}/web-config removed\nConfigMap/{ns}/web-unwatched excluded\nDeployment/{ns}/web changed (0 additions, 1 changes, 0 removals)",
            report.DetectedMessage($"{ns}/web.v1"));

        var correction = await drift.CorrectAsync(report, null);

        Assert.True(correction.Succeeded, correction.Error);
        Assert.Equal("DriftCorrected", correction.Reason);
        Assert.Equal(
            $"Cluster state of release {ns}/web.v1 has been corrected:\nConfigMap/{ns}/web-config created\nDeployment/{ns}/web configured",
            correction.Message($"{ns}/web.v1"));
        Assert.Equal("1", await Kubectl("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}"));
        Assert.Equal("hello Helm", await Kubectl("get", "configmap", "web-config", "-n", ns, "-o",
            "jsonpath={.data.greeting} {.metadata.labels.app\\.kubernetes\\.io/managed-by}"));
        Assert.Equal("changed", await Kubectl("get", "configmap", "web-unwatched", "-n", ns, "-o", "jsonpath={.data.a}"));
        Assert.False((await drift.DetectAsync(release, null)).HasDrift);
    }

    [Fact]
    public async Task WarnModeOnlyReportsAndLeavesTheClusterAsItIs()
    {
        const string ns = "drift-warn";
        var release = await InstallAsync(ns);
        var settings = new DriftDetection { Mode = "warn" };
        await Kubectl("scale", "deployment", "web", "-n", ns, "--replicas=2");

        Assert.Equal(DriftMode.Warn, DriftModes.Of(settings));
        Assert.True(DriftModes.Of(settings).Detects());
        Assert.False(DriftModes.Of(null).Detects());
        var report = await new ReleaseDrift(cluster.Client).DetectAsync(release, settings.Ignore);

        Assert.Equal([$"Deployment/{ns}/web changed (0 additions, 1 changes, 0 removals)"], report.Objects.Where(o => o.Type != DriftType.Excluded).Select(o => o.Summary));
        Assert.Equal("2", await Kubectl("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}"));
    }

    [Fact]
    public async Task IgnoreRulesLeaveTheirFieldsOutOfDetectionAndCorrection()
    {
        const string ns = "drift-ignore";
        var release = await InstallAsync(ns);
        IReadOnlyList<IgnoreRule> ignore =
        [
            new IgnoreRule { Paths = ["/spec/replicas"], Target = new Selector { Kind = "Deployment" } },
            new IgnoreRule { Paths = ["/data/greeting"], Target = new Selector { Kind = "ConfigMap", Name = "other" } },
        ];
        await Kubectl("scale", "deployment", "web", "-n", ns, "--replicas=4");
        await Kubectl("patch", "configmap", "web-config", "-n", ns, "--type=merge", "-p", """{"data":{"greeting":"bye","added":"x"}}""");
        var drift = new ReleaseDrift(cluster.Client);

        var report = await drift.DetectAsync(release, ignore);

        Assert.Equal([$"ConfigMap/{ns}/web-config changed (0 additions, 1 changes, 0 removals)"],
            report.Objects.Where(o => o.Type != DriftType.Excluded).Select(o => o.Summary));

        var correction = await drift.CorrectAsync(report, ignore);

        Assert.True(correction.Succeeded, correction.Error);
        Assert.Equal("4", await Kubectl("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}"));
        Assert.Equal("hello x", await Kubectl("get", "configmap", "web-config", "-n", ns, "-o", "jsonpath={.data.greeting} {.data.added}"));
    }

    [Fact]
    public async Task ABrokenIgnoreRuleIsADetectionError()
    {
        const string ns = "drift-bad-rule";
        var release = await InstallAsync(ns);

        var error = await Assert.ThrowsAsync<DriftDetectionException>(() =>
            new ReleaseDrift(cluster.Client).DetectAsync(release, [new IgnoreRule { Paths = ["spec/replicas"] }]));

        Assert.StartsWith("unable to determine cluster state: invalid ignore rule spec.ignore[0]: path 'spec/replicas' is not a valid JSON pointer", error.Message, StringComparison.Ordinal);
    }
}
