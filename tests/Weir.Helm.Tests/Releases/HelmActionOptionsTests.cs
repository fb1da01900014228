using System.Collections.Concurrent;
using System.Text;
using Weir.Helm.Actions;
using Weir.Helm.Charts;
using Weir.Helm.Values;

namespace Weir.Helm.Tests.Releases;

/// <summary>The log sink of Helm's actions and the legacy wait, against the embedded API server with the real KubernetesClient.</summary>
public sealed class HelmActionOptionsTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>
{
    private const string Token = "s3cret-token-value";

    private static Chart JobChart(string script) => new ChartLoader().LoadFiles([
        new ChartFile("Chart.yaml", Encoding.UTF8.GetBytes("apiVersion: v2\nname: batch\nversion: 0.1.0\n")),
        new ChartFile("templates/secret.yaml", Encoding.UTF8.GetBytes("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: {{ .Release.Name }}-token
            stringData:
              token: {{ .Values.token | quote }}
            """)),
        new ChartFile("templates/job.yaml", Encoding.UTF8.GetBytes($$$"""
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: {{ .Release.Name }}-once
            spec:
              backoffLimit: 0
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: busybox:1.36
                    command: ["sh", "-c", "{{{script}}}"]
            """)),
    ]);

    [Fact]
    public async Task TheLogSinkHearsWhatHelmDoesButNeverAValue()
    {
        const string ns = "logged";
        await TestNamespaces.EnsureAsync(cluster.Client, ns);
        var helm = new HelmCluster(cluster.Client);
        var records = new ConcurrentQueue<HelmLogRecord>();
        var values = ValuesReader.Read($"token: {Token}\n");

        await helm.InstallAsync(JobChart("exit 0"), values, new InstallOptions("batch", ns) { Wait = true, Timeout = TimeSpan.FromSeconds(30), Log = records.Enqueue });
        await helm.UpgradeAsync(JobChart("exit 0"), values, new UpgradeOptions("batch", ns) { Wait = true, Timeout = TimeSpan.FromSeconds(30), Log = records.Enqueue });
        await helm.UninstallAsync(new UninstallOptions("batch", ns) { DeletionPropagation = "sideways", Log = records.Enqueue });

        var lines = records.Select(r => $"{r.Level} {r.Message} {string.Join(",", r.Attributes.Select(a => $"{a.Key}={a.Value}"))}").ToList();
        Assert.Equal(
            [
                "Debug creating resource(s) resources=2",
                "Debug waiting for resources count=2,timeout=00:00:30",
                "Debug preparing upgrade name=batch",
                "Debug creating upgraded release name=batch",
                "Debug performing update name=batch",
                "Debug checking resources for changes resources=2",
                "Debug waiting for resources count=2,timeout=00:00:30",
                "Debug uninstall: deleting release name=batch",
                "Warn uninstall: given cascade value, defaulting to delete propagation background value=sideways",
                "Debug purge requested release=batch",
            ],
            lines);
        Assert.DoesNotContain(lines, l => l.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheLegacyWaitFailsAtOnceOnAFailedJobAndIgnoresJobsWhenNotWaitingForThem()
    {
        const string ns = "legacy-jobs";
        await TestNamespaces.EnsureAsync(cluster.Client, ns);
        var helm = new HelmCluster(cluster.Client);
        var values = ValuesReader.Read("token: t\n");

        var failure = await Assert.ThrowsAsync<HelmActionException>(() => helm.InstallAsync(JobChart("exit 1"), values, new InstallOptions("failing", ns)
        {
            Wait = true,
            WaitStrategy = HelmWaitStrategy.Legacy,
            Timeout = TimeSpan.FromSeconds(30),
        }));
        Assert.Equal($"job is failed: {ns}/failing-once", failure.Message);

        var released = await helm.InstallAsync(JobChart("exit 1"), values, new InstallOptions("ignored", ns)
        {
            Wait = true,
            WaitForJobs = false,
            WaitStrategy = HelmWaitStrategy.Legacy,
            Timeout = TimeSpan.FromSeconds(30),
        });
        Assert.Equal("deployed", released.Info.Status);
    }
}
