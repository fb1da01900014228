using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Runtime.Tests.Kube;

public sealed class ResourceClientTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>
{
    private static JsonObject ConfigMap(string name, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["labels"] = new JsonObject { ["t"] = "rc" } },
        ["data"] = new JsonObject { ["k"] = value },
    };

    [Fact]
    public async Task CoreGroupObjectsRoundTrip()
    {
        var client = cluster.Client;
        var created = await client.CreateAsync(KubeResource.ConfigMap, ConfigMap("rc-one", "a"));
        Assert.NotEmpty(created.ResourceVersion());

        var fetched = await client.GetAsync(KubeResource.ConfigMap, new ObjectKey("default", "rc-one"));
        Assert.Equal("a", fetched!["data"]!["k"]!.GetValue<string>());

        var patched = await client.PatchAsync(KubeResource.ConfigMap, fetched.Key(), new JsonObject { ["data"] = new JsonObject { ["k"] = "b" } }, "merge");
        Assert.Equal("b", patched["data"]!["k"]!.GetValue<string>());

        var (items, rv) = await client.ListAsync(KubeResource.ConfigMap, "default", "t=rc");
        Assert.Contains(items, i => i.Name() == "rc-one" && i.Kind() == "ConfigMap");
        Assert.NotEmpty(rv);

        Assert.True(await client.DeleteAsync(KubeResource.ConfigMap, fetched.Key()));
        Assert.Null(await client.GetAsync(KubeResource.ConfigMap, fetched.Key()));
        Assert.False(await client.DeleteAsync(KubeResource.ConfigMap, fetched.Key()));
    }

    [Fact]
    public async Task ErrorsCarryTheServersReasonAndMessage()
    {
        await cluster.Client.CreateAsync(KubeResource.ConfigMap, ConfigMap("rc-dup", "a"));
        var error = await Assert.ThrowsAsync<KubeApiException>(() => cluster.Client.CreateAsync(KubeResource.ConfigMap, ConfigMap("rc-dup", "a")));
        Assert.Equal("AlreadyExists", error.Reason);
        Assert.Contains("\"rc-dup\" already exists", error.Message);

        var stale = (await cluster.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("default", "rc-dup")))!;
        await cluster.Client.PatchAsync(KubeResource.ConfigMap, stale.Key(), new JsonObject { ["data"] = new JsonObject { ["k"] = "z" } }, "merge");
        var conflict = await Assert.ThrowsAsync<KubeApiException>(() => cluster.Client.ReplaceAsync(KubeResource.ConfigMap, stale));
        Assert.True(conflict.IsConflict);
    }

    [Fact]
    public async Task WatchDeliversChangesFromAResourceVersion()
    {
        var (_, rv) = await cluster.Client.ListAsync(KubeResource.ConfigMap, "default");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<(k8s.WatchEventType, string)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in cluster.Client.WatchAsync(KubeResource.ConfigMap, "default", rv, cancellationToken: cts.Token))
            {
                if (e.Object.Name() == "rc-watch")
                {
                    seen.Add((e.Type, e.Object["data"]?["k"]?.GetValue<string>() ?? ""));
                    if (e.Type == k8s.WatchEventType.Deleted)
                    {
                        return;
                    }
                }
            }
        });
        await cluster.Client.CreateAsync(KubeResource.ConfigMap, ConfigMap("rc-watch", "1"));
        await cluster.Client.PatchAsync(KubeResource.ConfigMap, new ObjectKey("default", "rc-watch"), new JsonObject { ["data"] = new JsonObject { ["k"] = "2" } }, "merge");
        await cluster.Client.DeleteAsync(KubeResource.ConfigMap, new ObjectKey("default", "rc-watch"));
        await watching.WaitAsync(cts.Token);
        Assert.Equal([(k8s.WatchEventType.Added, "1"), (k8s.WatchEventType.Modified, "2"), (k8s.WatchEventType.Deleted, "2")], seen);
    }
}
