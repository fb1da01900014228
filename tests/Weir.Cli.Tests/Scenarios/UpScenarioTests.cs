using Weir.Cli.Scenarios;
using Weir.Testing;

namespace Weir.Cli.Tests.Scenarios;

/// <summary><c>weir up --scenario</c> and <c>--list-scenarios</c> as a user runs them: a real process, then real kubectl.</summary>
public sealed class UpScenarioTests : IDisposable
{
    private readonly string _dataDir = TestEnv.TempDir("weir-up-scenario-");

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task ListScenariosNamesEveryScenarioWithItsDescription()
    {
        var (code, output, error) = await WeirRun.ExecAsync(["up", "--list-scenarios"]);
        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ScenarioCatalog.All.Count, lines.Length);
        foreach (var scenario in ScenarioCatalog.All)
        {
            Assert.Contains(lines, l => l.StartsWith(scenario.Name + " ", StringComparison.Ordinal) && l.EndsWith(scenario.Description, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task UnknownScenarioIsAnError()
    {
        var (code, _, error) = await WeirRun.ExecAsync(["up", "--data-dir", _dataDir, "--scenario", "no-such-thing"]);
        Assert.Equal(2, code);
        Assert.Contains("unknown scenario 'no-such-thing'", error);
    }

    [Fact]
    public async Task ScenarioIsSetUpInFluxSystemAndReadsAsTheSeedsShow()
    {
        var kubeconfig = Path.Combine(_dataDir, "kubeconfig");
        using var up = await WeirUpProcess.StartAsync(_dataDir, ["--scenario", "pinned-production"]);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while (true)
        {
            Assert.False(up.HasExited, "weir up exited:\n" + up.Output);
            Assert.True(DateTimeOffset.UtcNow < deadline, "not applied within 90s:\n" + up.Output);
            if (up.Output.Contains("Scenario pinned-production is set up"))
            {
                var rows = await KubectlTable.GetAsync(kubeconfig, "kustomization", "-n", "flux-system");
                if (rows.FirstOrDefault(r => r["NAME"] == "production") is { } row && row["READY"] == "True")
                {
                    Assert.Matches(@"^Applied revision: v1\.5\.0@sha256:[0-9a-f]{64}$", row["STATUS"]);
                    break;
                }
            }

            await Task.Delay(250);
        }

        Assert.Contains("weir status my-app", up.Output);
        var (code, status, _) = await WeirRun.ExecAsync(["status", "my-app", "--kubeconfig", kubeconfig]);
        Assert.True(code == 3, status);
        Assert.Equal("blocked: production is pinned to v1.5.0", status.Split('\n')[0]);
    }
}
