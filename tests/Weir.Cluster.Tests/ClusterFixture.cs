namespace Weir.Cluster.Tests;

/// <summary>
/// One embedded server per test class, on a free port over a fresh data directory. The workload simulator is off: these
/// tests check API semantics on workload objects whose status nothing else should write (Simulation/* tests it).
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public string DataDir { get; } = TestEnv.TempDir("weir-cluster-");

    public ClusterServer Server { get; private set; } = null!;

    public Uri Address => Server.Address;

    public string Kubeconfig => Server.KubeconfigPath!;

    /// <summary>A raw HTTP client trusting the cluster CA, as the admin unless another token (or null: none) is given.</summary>
    public HttpClient Http(string? token = "") => Server.CreateHttpClient(token);

    public async Task InitializeAsync() =>
        Server = await ClusterServer.StartAsync(new ClusterOptions { DataDir = DataDir, BookmarkInterval = TimeSpan.FromSeconds(1), Simulator = new() { Enabled = false } });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
