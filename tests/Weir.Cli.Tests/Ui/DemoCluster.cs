using Weir.Testing;

namespace Weir.Cli.Tests.Ui;

/// <summary>
/// One <c>weir up --demo</c> shared by the UI tests, waited for until <c>weir status my-app</c> says live and the demo's
/// HelmRelease is Ready, so every test sees the same four objects.
/// </summary>
public sealed class DemoCluster : IAsyncLifetime
{
    private readonly string _work = TestEnv.TempDir("weir-ui-");
    private WeirUpProcess? _up;

    public string DataDir => Path.Combine(_work, ".weir");

    public string Kubeconfig => Path.Combine(DataDir, "kubeconfig");

    public WeirUpProcess Up => _up!;

    public string Work => _work;

    public async Task InitializeAsync()
    {
        _up = await WeirUpProcess.StartAsync(DataDir, ["--demo"]);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            Assert.False(_up.HasExited, "weir up exited:\n" + _up.Output);
            var status = await WeirRun.RunAsync(Kubeconfig, "status", "my-app");
            var release = await Kubectl.RunAsync(Kubeconfig, 32, "get", "helmrelease", "my-app", "-n", "my-app",
                "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
            if (status.Code == 0 && release.Out == "True")
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the demo did not become live:\n" + status + "\n" + release + "\n" + _up.Output);
            await Task.Delay(300);
        }
    }

    public Task DisposeAsync()
    {
        _up?.Dispose();
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class DemoClusterCollection : ICollectionFixture<DemoCluster>
{
    public const string Name = "weir up --demo for weir ui";
}
