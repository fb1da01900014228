using System.Diagnostics;
using System.Text;
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
        int apiPort, registryPort;
        string? firstRow = null;
        for (var attempt = 1; ; attempt++)
        {
            // A free port can be taken by a parallel test before weir up binds it; only that is retried.
            (apiPort, registryPort) = (TestEnv.FreePort(), TestEnv.FreePort());
            try
            {
                firstRow = await RunUntilReadyAsync(apiPort, registryPort, kubeconfig, TimeSpan.FromSeconds(30));
                break;
            }
            catch (PortTakenException) when (attempt < 3)
            {
                // Start over from an empty data directory, so nothing refers to the ports of the failed start.
                Directory.Delete(_dataDir, recursive: true);
                Directory.CreateDirectory(_dataDir);
            }
        }

        Assert.Matches(@"^my-app\s+True\s+stored artifact for digest 'v1\.0\.0@sha256:[0-9a-f]{64}'\s+\d+s$", firstRow);

        // Same data directory again: the demo is not re-published and the stored state is what kubectl shows.
        var secondRow = await RunUntilReadyAsync(apiPort, registryPort, kubeconfig, TimeSpan.FromSeconds(30));
        Assert.Equal(Digest(firstRow), Digest(secondRow));
    }

    private static string Digest(string row) => System.Text.RegularExpressions.Regex.Match(row, "sha256:[0-9a-f]{64}").Value;

    private async Task<string> RunUntilReadyAsync(int apiPort, int registryPort, string kubeconfig, TimeSpan limit)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            TestPaths.WeirDll, "up", "--demo", "--data-dir", _dataDir,
            "--api-port", apiPort.ToString(), "--registry-port", registryPort.ToString(),
        })
        {
            psi.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        using var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = Stopwatch.StartNew();
        try
        {
            while (started.Elapsed < limit)
            {
                if (File.Exists(kubeconfig))
                {
                    var (code, stdout, _) = await Kubectl.RunAsync(kubeconfig, 32, "get", "ocirepository", "-n", "flux-system");
                    var row = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("my-app ", StringComparison.Ordinal));
                    if (code == 0 && row is not null && row.Contains(" True ") && Snapshot(output).Contains($"export KUBECONFIG={kubeconfig}"))
                    {
                        return row;
                    }
                }

                if (process.HasExited && Snapshot(output).Contains("address already in use", StringComparison.Ordinal))
                {
                    throw new PortTakenException();
                }

                Assert.False(process.HasExited, "weir up exited:\n" + Snapshot(output));
                await Task.Delay(250);
            }

            throw new TimeoutException($"the demo was not Ready within {limit}:\n{Snapshot(output)}");
        }
        finally
        {
            if (!process.HasExited)
            {
                // SIGTERM, as Ctrl-C or a service manager would stop it.
                Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
                if (!process.WaitForExit(15000))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private sealed class PortTakenException : Exception;
}
