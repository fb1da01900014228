using Weir.Cluster.Simulation;

namespace Weir.Cluster.Tests.Simulation;

/// <summary>A server with the workload simulator on, fast: pods ready after 0.5 s, 600 s progress deadlines scaled to 1.2 s.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    private readonly string _dataDir = TestEnv.TempDir("weir-sim-");

    public ClusterServer Server { get; private set; } = null!;

    public string WorkDir { get; } = TestEnv.TempDir("weir-sim-kubectl-");

    public Kubectl Kubectl(int minor = 32) => new(Weir.Testing.Kubectl.Path(minor), Server.KubeconfigPath!, WorkDir);

    public async Task InitializeAsync() =>
        Server = await ClusterServer.StartAsync(new ClusterOptions
        {
            DataDir = _dataDir,
            Simulator = new SimulatorOptions { ReadyDelay = TimeSpan.FromMilliseconds(500), ProgressDeadlineScale = 0.002 },
        });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
        Directory.Delete(WorkDir, recursive: true);
    }

    /// <summary>Writes a manifest into the kubectl work directory and applies it.</summary>
    public async Task<string> ApplyAsync(Kubectl k, string name, string yaml)
    {
        File.WriteAllText(Path.Combine(WorkDir, name), yaml);
        return await k.OkAsync("apply", "-f", name);
    }

    /// <summary>
    /// A Namespace and a Deployment of <paramref name="image"/> (container <c>main</c>, port <c>http</c> 8080, pods
    /// labelled <c>app: NAME</c>); <paramref name="spec"/> adds a line to the Deployment's spec.
    /// </summary>
    public static string Deployment(string ns, string name, int replicas, string image, string spec = "") => $"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {ns}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          replicas: {replicas}
          {spec}
          selector:
            matchLabels:
              app: {name}
          template:
            metadata:
              labels:
                app: {name}
            spec:
              containers:
              - name: main
                image: {image}
                ports:
                - name: http
                  containerPort: 8080
        """;

    public static void Matches(string pattern, string actual) =>
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(actual, pattern, System.Text.RegularExpressions.RegexOptions.Multiline), $"expected to match:\n{pattern}\nin:\n{actual}");

    /// <summary>Runs kubectl until its output matches, or fails with the last output after the timeout.</summary>
    public static async Task<string> EventuallyAsync(Kubectl k, string pattern, params string[] args)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var r = await k.RunAsync(args);
            if (System.Text.RegularExpressions.Regex.IsMatch(r.Output, pattern, System.Text.RegularExpressions.RegexOptions.Multiline))
            {
                return r.Out;
            }
            Assert.True(DateTime.UtcNow < deadline, $"kubectl {string.Join(' ', args)} never matched {pattern}; last:\n{r}");
            await Task.Delay(200);
        }
    }
}
