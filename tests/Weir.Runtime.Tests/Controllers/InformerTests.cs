using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Runtime.Tests.Controllers;

public sealed class InformerTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>
{
    [Fact]
    public async Task ListsThenFollowsChangesAndIndexes()
    {
        var ns = "inf-" + Guid.NewGuid().ToString("N")[..6];
        await cluster.Client.CreateAsync(new KubeResource("", "v1", "namespaces", "Namespace", Namespaced: false),
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
        await cluster.Client.CreateAsync(KubeResource.ConfigMap, ConfigMap(ns, "before", "blue"));

        var informer = new Informer(cluster.Client, KubeResource.ConfigMap, ns);
        informer.Cache.AddIndex("color", o => o["data"]?["color"] is JsonNode c ? [c.GetValue<string>()] : []);
        var changes = new ConcurrentQueue<ObjectChange>();
        informer.OnChange(changes.Enqueue);
        using var cts = new CancellationTokenSource();
        var running = informer.RunAsync(cts.Token);
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        var cached = informer.Cache.Get(new ObjectKey(ns, "before"));
        Assert.NotNull(cached);
        Assert.NotNull((await cluster.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey(ns, "before")))!["metadata"]!["managedFields"]);
        Assert.Null(cached["metadata"]!["managedFields"]);

        await cluster.Client.CreateAsync(KubeResource.ConfigMap, ConfigMap(ns, "after", "red"));
        await cluster.Client.PatchAsync(KubeResource.ConfigMap, new ObjectKey(ns, "before"),
            new JsonObject { ["data"] = new JsonObject { ["color"] = "red" } }, "merge");
        await cluster.Client.DeleteAsync(KubeResource.ConfigMap, new ObjectKey(ns, "after"));

        await WaitUntil(() => changes.Any(c => c.New is null && c.Key.Name == "after"));
        Assert.Null(informer.Cache.Get(new ObjectKey(ns, "after")));
        Assert.Equal([new ObjectKey(ns, "before")], informer.Cache.ByIndex("color", "red"));
        Assert.Empty(informer.Cache.ByIndex("color", "blue"));
        Assert.Contains(changes, c => c.Old is not null && c.New is not null && c.Key.Name == "before");

        await cts.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static JsonObject ConfigMap(string ns, string name, string color) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["color"] = color },
    };

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10s");
            await Task.Delay(20);
        }
    }
}
