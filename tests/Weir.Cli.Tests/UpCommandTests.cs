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
