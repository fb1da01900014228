using System.Diagnostics;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary>
/// The verbs against `weir up --demo`: real OCIRepository controller, real registry, real controller log — as a
/// user would run them after the quick start.
/// </summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private readonly string _dataDir = TestEnv.TempDir("weir-cli-e2e-");
    private WeirUpProcess? _up;

    private string Kubeconfig => Path.Combine(_dataDir, "kubeconfig");

    public async Task InitializeAsync()
    {
        var started = Stopwatch.StartNew();
        _up = await WeirUpProcess.StartAsync(_dataDir, ["--demo"]);
        while (started.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (File.Exists(Kubeconfig) && (await WeirRun.RunAsync(Kubeconfig, "get", "sources", "oci", "my-app")).Out.Contains("\tTrue "))
            {
                return;
            }

            Assert.False(_up.HasExited, "weir up exited:\n" + _up.Output);
            await Task.Delay(500);
        }

        throw new TimeoutException("the demo did not become ready:\n" + _up.Output);
    }

    public Task DisposeAsync()
    {
        _up?.Dispose();
        Directory.Delete(_dataDir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ReconcileGetEventsLogsAndStatsAgainstTheDemo()
    {
        var reconcile = await WeirRun.RunAsync(Kubeconfig, "reconcile", "source", "oci", "my-app");
        Assert.True(reconcile.Code == 0, reconcile.Err);
        Assert.Matches(
            "^► annotating OCIRepository my-app in flux-system namespace\n✔ OCIRepository annotated\n◎ waiting for OCIRepository reconciliation\n✔ fetched revision v1\\.0\\.0@sha256:[0-9a-f]{64}\n$",
            reconcile.Err);

        var get = await WeirRun.RunAsync(Kubeconfig, "get", "sources", "all");
        Assert.Equal(0, get.Code);
        var row = Assert.Single(FluxTableAssert.Parse(get.Out, "NAME", "REVISION", "SUSPENDED", "READY", "MESSAGE", "LAST RECONCILED"));
        Assert.Matches(@"^ocirepository/my-app$", row[0]);
        Assert.Matches(@"^v1\.0\.0@sha256:[0-9a-f]{8}$", row[1]);
        Assert.Equal("True", row[3]);
        Assert.Matches(@"^\d+s ago$", row[5]);

        var events = await WeirRun.RunAsync(Kubeconfig, "events", "--for", "OCIRepository/my-app");
        Assert.Contains("\tNormal\tNewArtifact\tOCIRepository/my-app\tstored artifact", events.Out);

        // The log file is found beside the kubeconfig weir up wrote.
        var logs = await WeirRun.RunAsync(Kubeconfig, "logs", "--kind", "OCIRepository", "--name", "my-app");
        Assert.Equal(0, logs.Code);
        Assert.Matches(@"(?m)^\d{4}-\d\d-\d\dT[\d:.]+Z info ocirepository/my-app\.flux-system - stored artifact with revision 'v1\.0\.0@sha256:[0-9a-f]{64}'", logs.Out);

        var stats = await WeirRun.RunAsync(Kubeconfig, "stats");
        var oci = FluxTableAssert.Parse(stats.Out, "RECONCILERS", "RUNNING", "FAILING", "SUSPENDED", "STORAGE").Single(r => r[0] == "OCIRepository");
        Assert.Equal(["OCIRepository", "1", "0", "0"], oci[..4]);
        Assert.Matches(@"^\d+(\.\d)? (B|KiB|MiB)$", oci[4]);

        var withSource = await WeirRun.RunAsync(Kubeconfig, "reconcile", "ks", "my-app", "--with-source");
        Assert.True(withSource.Code == 0, withSource.Err);
        Assert.Matches(
            "\n► annotating Kustomization my-app in flux-system namespace\n✔ Kustomization annotated\n◎ waiting for Kustomization reconciliation\n✔ applied revision v1\\.0\\.0@sha256:[0-9a-f]{64}\n$",
            withSource.Err);

        var tree = await WeirRun.RunAsync(Kubeconfig, "tree", "ks", "my-app");
        Assert.Equal(0, tree.Code);
        Assert.StartsWith("Kustomization/flux-system/my-app\n", tree.Out);
        Assert.Contains("── Deployment/default/my-app\n", tree.Out);
        Assert.Contains("── Service/default/my-app\n", tree.Out);

        var trace = await WeirRun.RunAsync(Kubeconfig, "trace", "deployment", "my-app", "-n", "default");
        Assert.True(trace.Code == 0, trace.Err);
        Assert.Contains("\nObject:          Deployment/my-app\nNamespace:       default\nStatus:          Managed by Flux\n---\nKustomization:   my-app\n", trace.Out);
        Assert.Contains("---\nOCIRepository:   my-app\nNamespace:       flux-system\n", trace.Out);

        var suspend = await WeirRun.RunAsync(Kubeconfig, "suspend", "source", "oci", "my-app");
        Assert.Equal(0, suspend.Code);
        var resume = await WeirRun.RunAsync(Kubeconfig, "resume", "source", "oci", "my-app");
        Assert.True(resume.Code == 0, resume.Err);
        Assert.Matches("✔ OCIRepository my-app reconciliation completed\n✔ fetched revision v1\\.0\\.0@sha256:[0-9a-f]{64}\n$", resume.Err);
    }
}
