using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Oci.Distribution;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary>Two real `weir controller` processes against one API server: one leads, and a kill -9 hands over.</summary>
public sealed class LeaderElectionProcessTests(EmbeddedCluster cluster, DockerRegistryFixture registry)
    : IClassFixture<EmbeddedCluster>, IClassFixture<DockerRegistryFixture>, IDisposable
{
    private readonly string _storage = Directory.CreateTempSubdirectory("weir-shared-storage-").FullName;
    private readonly List<ControllerProcess> _processes = [];

    private sealed class ControllerProcess(Process process)
    {
        public Process Process { get; } = process;

        public ConcurrentQueue<string> Lines { get; } = new();

        public bool Logged(string text) => Lines.Any(l => l.Contains(text, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        foreach (var p in _processes.Where(p => !p.Process.HasExited))
        {
            p.Process.Kill(entireProcessTree: true);
            p.Process.WaitForExit();
        }

        Directory.Delete(_storage, recursive: true);
    }

    private ControllerProcess Start()
    {
        var process = new ControllerProcess(WeirRun.Start(
        [
            "controller", "--kubeconfig", cluster.Server.KubeconfigPath!,
            "--storage-path", _storage, "--storage-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
            // Lease timings with room for a loaded 2-core machine: a leader starved for 2s must not lose the lease mid-test.
            "--leader-election-lease-duration", "6s", "--leader-election-renew-deadline", "4s", "--leader-election-retry-period", "1s",
        ]));
        process.Process.OutputDataReceived += (_, e) => { if (e.Data is not null) { process.Lines.Enqueue(e.Data); } };
        process.Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { process.Lines.Enqueue(e.Data); } };
        process.Process.BeginOutputReadLine();
        process.Process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    [Fact]
    public async Task OnlyTheLeaderReconcilesAndAKilledLeaderIsReplacedWithinTheLease()
    {
        var v1 = await TestArtifacts.PushAsync(registry.Host, "ha-app", "v1.0.0", new Dictionary<string, string> { ["deploy.yaml"] = "v: 1" });
        await cluster.Client.CreateAsync(KubeResource.OCIRepository, Repository("ha-app", $"oci://{registry.Host}/ha-app"));
        var a = Start();
        var b = Start();

        await WaitFor(async () => (await Ready())?["message"]?.GetValue<string>() == $"stored artifact for digest 'v1.0.0@{v1.Digest}'", "first artifact", a, b);
        var leader = await LeaderAsync(a, b);
        var follower = leader == a ? b : a;
        // The log line is written after the status it reports, and read from the pipe asynchronously: wait for it.
        await WaitFor(() => Task.FromResult(leader.Logged("stored artifact with revision 'v1.0.0@")), "the leader's log of the artifact", leader);
        Assert.False(follower.Logged("starting controllers"), "the follower started controllers while another replica led");

        leader.Process.Kill(entireProcessTree: true); // SIGKILL: no lease release, no cleanup
        await leader.Process.WaitForExitAsync();
        var killedAt = Stopwatch.StartNew();
        var v2 = await TestArtifacts.PushAsync(registry.Host, "ha-app", "v1.1.0", new Dictionary<string, string> { ["deploy.yaml"] = "v: 2" });
        await cluster.Client.PatchAsync(KubeResource.OCIRepository, new ObjectKey("flux-system", "ha-app"), new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["reconcile.fluxcd.io/requestedAt"] = "after-kill" } },
        }, "merge");

        await WaitFor(async () => (await Ready())?["message"]?.GetValue<string>() == $"stored artifact for digest 'v1.1.0@{v2.Digest}'", "takeover", follower);
        Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(20), $"takeover took {killedAt.Elapsed}");
        Assert.True(follower.Logged("starting controllers"));
        Assert.Same(follower, await LeaderAsync(a, b));

        var artifact = (await cluster.Client.GetAsync(KubeResource.OCIRepository, new ObjectKey("flux-system", "ha-app")))!["status"]!["artifact"]!;
        using var http = new HttpClient();
        var served = await http.GetByteArrayAsync(artifact["url"]!.GetValue<string>());
        Assert.Equal(artifact["digest"]!.GetValue<string>(), OciDigest.Of(served));
        var stored = Directory.GetFiles(Path.Combine(_storage, "ocirepository", "flux-system", "ha-app"), "*.tar.gz");
        Assert.Equal(2, stored.Length);
        Assert.Equal(stored.Length, stored.Select(f => OciDigest.Of(File.ReadAllBytes(f))).Distinct().Count());
    }

    private async Task<JsonObject?> Ready() =>
        StatusConditions.Ready(await cluster.Client.GetAsync(KubeResource.OCIRepository, new ObjectKey("flux-system", "ha-app")));

    private async Task<ControllerProcess> LeaderAsync(params ControllerProcess[] candidates)
    {
        var lease = await cluster.Client.GetAsync(KubeResource.Lease, new ObjectKey("flux-system", "weir-controllers"));
        var holder = lease!["spec"]!["holderIdentity"]!.GetValue<string>();
        return candidates.Single(c => holder.EndsWith("_" + c.Process.Id, StringComparison.Ordinal));
    }

    private static JsonObject Repository(string name, string url) => new()
    {
        ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
        ["kind"] = "OCIRepository",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
        ["spec"] = new JsonObject { ["url"] = url, ["interval"] = "1h", ["insecure"] = true, ["ref"] = new JsonObject { ["semver"] = ">=1.0.0" } },
    };

    private static async Task WaitFor(Func<Task<bool>> condition, string what, params ControllerProcess[] processes)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen; controller output:\n" + string.Join("\n", processes.SelectMany(p => p.Lines)));
            }

            await Task.Delay(200);
        }
    }
}
