using System.Diagnostics;
using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Cluster.Simulation;
using Xunit.Abstractions;

namespace Weir.Cluster.Tests.Simulation;

/// <summary>Runs alone, after the parallel tests, so its CPU burst does not starve timing-sensitive neighbours.</summary>
[CollectionDefinition(nameof(SimulatorScaleCollection), DisableParallelization = true)]
public sealed class SimulatorScaleCollection;

/// <summary>A thousand Deployments at once: the simulator batches them and every one becomes Available with its two pods (the time is printed, not asserted).</summary>
[Collection(nameof(SimulatorScaleCollection))]
public sealed class SimulatorScaleTests(ITestOutputHelper output)
{
    private const string Template = """
        {"metadata":{"name":"NAME"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"NAME"}},
         "template":{"metadata":{"labels":{"app":"NAME"}},"spec":{"containers":[{"name":"main","image":"nginx:1.25"}]}}}}
        """;

    [Fact]
    public async Task AThousandDeploymentsBecomeAvailable()
    {
        const int count = 1000;
        var dataDir = TestEnv.TempDir("weir-sim-scale-");
        try
        {
            await using var server = await ClusterServer.StartAsync(new ClusterOptions
            {
                DataDir = dataDir,
                WriteKubeconfig = false,
                Simulator = new SimulatorOptions { ReadyDelay = TimeSpan.FromMilliseconds(500) },
            });
            var registry = server.Registry;
            var deployments = registry.Catalog.Find("apps", "v1", "deployments")!;
            registry.Create(registry.Catalog.Find("", "v1", "namespaces")!, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "scale" } }, new WriteOptions());
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                registry.Create(deployments, "scale", JsonNode.Parse(Template.Replace("NAME", $"app-{i}", StringComparison.Ordinal))!.AsObject(), new WriteOptions { FieldManager = "bench" });
            }
            var created = clock.Elapsed;
            var cpuAtCreated = Process.GetCurrentProcess().TotalProcessorTime;
            var available = 0;
            while (clock.Elapsed < TimeSpan.FromMinutes(3))
            {
                available = registry.Store.List("apps", "deployments", "scale")
                    .Count(o => o.Json.Contains("NewReplicaSetAvailable", StringComparison.Ordinal) && o.Json.Contains("\"availableReplicas\":2", StringComparison.Ordinal));
                if (available == count)
                {
                    break;
                }
                await Task.Delay(100);
            }
            var simulatorCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtCreated;
            output.WriteLine($"{count} Deployments created in {created.TotalSeconds:F2} s; all Available {clock.Elapsed.TotalSeconds:F2} s after the first create " +
                $"(ready delay 0.5 s); process CPU after the creates {simulatorCpu.TotalSeconds:F2} s; {server.Simulator!.Reconciled} reconciles; " +
                $"{registry.Store.Count("", "pods", "scale")} pods; store revision {registry.Store.Revision}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            Assert.Equal(count, available);
            Assert.Equal(count, registry.Store.Count("apps", "replicasets", "scale"));
            Assert.Equal(2 * count, registry.Store.Count("", "pods", "scale"));
            Assert.Null(server.Simulator.LastError);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
