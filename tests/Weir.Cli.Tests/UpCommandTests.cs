using System.Diagnostics;
using Weir.Testing;

namespace Weir.Cli.Tests;

/// <summary>`weir up --demo` as a user runs it: a real process, then real kubectl against what it prints.</summary>
public sealed class UpCommandTests : IDisposable
{
    private readonly string _dataDir = TestEnv.TempDir("weir-up-");

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task DemoIsReadyWithinThirtySecondsAndSurvivesARestart()
    {
        var kubeconfig = Path.Combine(_dataDir, "kubeconfig");
        var (firstRow, apiPort, registryPort) = await RunUntilReadyAsync(kubeconfig, TimeSpan.FromSeconds(30));
        Assert.Matches(@"^my-app\s+True\s+stored artifact for digest 'v1\.0\.0@sha256:[0-9a-f]{64}'\s+\d+s$", firstRow);

        // Same data directory and ports again: the demo is not re-published and the stored state is what kubectl shows.
        var (secondRow, _, _) = await RunUntilReadyAsync(kubeconfig, TimeSpan.FromSeconds(30), apiPort, registryPort);
        Assert.Equal(Digest(firstRow), Digest(secondRow));
    }

    [Fact]
    public async Task DemoInstallsItsChartWithAHelmReleaseAsTheSeedsShowIt()
    {
        var kubeconfig = Path.Combine(_dataDir, "kubeconfig");
        using var up = await WeirUpProcess.StartAsync(_dataDir, ["--demo"]);
        Assert.Contains("kubectl get helmrelease -A", up.Output);
        var started = Stopwatch.StartNew();
        string? row = null;
        var last = "";
        while (row is null && started.Elapsed < TimeSpan.FromSeconds(90))
        {
            Assert.False(up.HasExited, "weir up exited:\n" + up.Output);
            var (_, stdout, stderr) = await Kubectl.RunAsync(kubeconfig, 32, "get", "helmrelease", "-A");
            last = stdout + stderr;
            row = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("my-app ", StringComparison.Ordinal) && l.Contains(" True ", StringComparison.Ordinal));
            await Task.Delay(row is null ? 500 : 0);
        }

        Assert.True(row is not null, $"no Ready HelmRelease within 90 s:\n{last}\n{up.Output}");
        Assert.Matches(@"^my-app\s+my-app\s+True\s+Helm install succeeded for release my-app/my-app\.v1 with chart my-app@1\.2\.3\s+\d+s$", row.TrimEnd());

        // What it released runs in the app's namespace, labelled with the HelmRelease it came from.
        var (code, pods, error) = await Kubectl.RunAsync(kubeconfig, 32, "get", "deployment", "my-app", "-n", "my-app",
            "-o", "jsonpath={.metadata.labels.helm\\.toolkit\\.fluxcd\\.io/name} {.spec.template.spec.containers[0].image}");
        Assert.True(code == 0, error);
        Assert.Equal("my-app ghcr.io/example/my-app:1.0.0", pods);
    }

    [Fact]
    public async Task AfterARestartEveryKustomizationIsReadyAgainWithinSeconds()
    {
        var kubeconfig = Path.Combine(_dataDir, "kubeconfig");
        int apiPort, registryPort;
        string firstUrl;
        using (var first = await WeirUpProcess.StartAsync(_dataDir, ["--demo"]))
        {
            (apiPort, registryPort) = (first.ApiPort, first.RegistryPort);
            await WaitForKustomizationsAsync(kubeconfig, first, DateTimeOffset.MinValue, TimeSpan.FromSeconds(60));
            firstUrl = await ArtifactUrlAsync(kubeconfig);
        }

        // The same data directory again: the artifact server is back at its address, nothing waits for a retry.
        var restarted = await RestartAsync(kubeconfig, apiPort, registryPort);
        Assert.Equal(firstUrl, restarted);

        // Its port taken meanwhile by a process that hangs up on every connection: it serves from another one, and
        // the Kustomizations follow the sources' new URLs.
        var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, new Uri(firstUrl).Port);
        taken.Start();
        using var stop = new CancellationTokenSource();
        var hangingUp = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                (await taken.AcceptTcpClientAsync(stop.Token)).Dispose();
            }
        });
        try
        {
            var moved = await RestartAsync(kubeconfig, apiPort, registryPort);
            Assert.NotEqual(new Uri(firstUrl).Port, new Uri(moved).Port);
        }
        finally
        {
            await stop.CancelAsync();
            taken.Stop();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hangingUp);
        }
    }

    /// <summary>Starts weir up again and waits until every Kustomization has reconciled to Ready; returns the demo's artifact URL.</summary>
    private async Task<string> RestartAsync(string kubeconfig, int apiPort, int registryPort)
    {
        // Conditions carry whole seconds: start in a new one, so a Ready from before the restart cannot count.
        await Task.Delay(1100);
        var since = DateTimeOffset.UtcNow;
        using var up = await WeirUpProcess.StartAsync(_dataDir, ["--demo"], apiPort, registryPort);
        await WaitForKustomizationsAsync(kubeconfig, up, since, TimeSpan.FromSeconds(15));
        return await ArtifactUrlAsync(kubeconfig);
    }

    /// <summary>Waits (from the banner) until every Kustomization is Ready=True with a transition after <paramref name="since"/>.</summary>
    private static async Task WaitForKustomizationsAsync(string kubeconfig, WeirUpProcess up, DateTimeOffset since, TimeSpan limit)
    {
        var started = Stopwatch.StartNew();
        var last = "";
        while (started.Elapsed < limit)
        {
            Assert.False(up.HasExited, "weir up exited:\n" + up.Output);
            var (code, stdout, _) = await Kubectl.RunAsync(kubeconfig, 32, "get", "kustomizations", "-A", "-o", "json");
            if (code == 0 && System.Text.Json.Nodes.JsonNode.Parse(stdout)?["items"] is System.Text.Json.Nodes.JsonArray { Count: > 0 } items)
            {
                var ready = items.Select(k => (k?["status"]?["conditions"] as System.Text.Json.Nodes.JsonArray ?? [])
                    .FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready")).ToList();
                last = string.Join("; ", ready.Select(c => c?.ToJsonString() ?? "no Ready condition"));
                if (ready.All(c => c?["status"]?.GetValue<string>() == "True"
                    && DateTimeOffset.Parse(c["lastTransitionTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= since.AddTicks(-(since.Ticks % TimeSpan.TicksPerSecond))))
                {
                    return;
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Kustomizations not Ready within {limit} of the banner: {last}\n{up.Output}");
    }

    private static async Task<string> ArtifactUrlAsync(string kubeconfig)
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(kubeconfig, 32, "get", "ocirepository", "my-app", "-n", "flux-system", "-o", "jsonpath={.status.artifact.url}");
        Assert.True(code == 0 && stdout.StartsWith("http://", StringComparison.Ordinal), stdout + stderr);
        return stdout;
    }

    private static string Digest(string row) => System.Text.RegularExpressions.Regex.Match(row, "sha256:[0-9a-f]{64}").Value;

    private async Task<(string Row, int ApiPort, int RegistryPort)> RunUntilReadyAsync(
        string kubeconfig, TimeSpan limit, int? apiPort = null, int? registryPort = null)
    {
        var started = Stopwatch.StartNew();
        using var up = await WeirUpProcess.StartAsync(_dataDir, ["--demo"], apiPort, registryPort);
        while (started.Elapsed < limit)
        {
            if (File.Exists(kubeconfig))
            {
                var (code, stdout, _) = await Kubectl.RunAsync(kubeconfig, 32, "get", "ocirepository", "-n", "flux-system");
                var row = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("my-app ", StringComparison.Ordinal));
                if (code == 0 && row is not null && row.Contains(" True ") && up.Output.Contains($"export KUBECONFIG={kubeconfig}"))
                {
                    return (row, up.ApiPort, up.RegistryPort);
                }
            }

            Assert.False(up.HasExited, "weir up exited:\n" + up.Output);
            await Task.Delay(250);
        }

        throw new TimeoutException($"the demo was not Ready within {limit}:\n{up.Output}");
    }
}
