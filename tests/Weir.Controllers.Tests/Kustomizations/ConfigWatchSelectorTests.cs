using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Weir.Controllers.Kustomizations;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Controllers.Tests.Kustomizations;

/// <summary><c>--watch-configs-label-selector</c>: another selector decides which Secrets trigger reconciles.</summary>
public sealed class ConfigWatchSelectorTests : IAsyncLifetime
{
    private readonly EmbeddedCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    /// <summary>Counts the reconciles each Kustomization gets; the watch under test is what enqueues them.</summary>
    private sealed class CountingReconciler : IReconciler
    {
        public ConcurrentDictionary<ObjectKey, int> Calls { get; } = new();

        public string Kind => "Kustomization";

        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            Calls.AddOrUpdate(key, 1, (_, n) => n + 1);
            return Task.FromResult(ReconcileResult.Done);
        }
    }

    [Fact]
    public async Task OnlySecretsMatchingTheConfiguredSelectorTriggerAReconcile()
    {
        var client = _cluster.Client;
        var counter = new CountingReconciler();
        var manager = new ControllerManager(client, new ControllerMetrics());
        var informer = manager.Add(new ControllerRegistration(KubeResource.Kustomization, counter, 1));
        var watch = new ConfigWatch(client, manager, selector: "team=platform").Serve(KubeResource.Kustomization, informer, ConfigWatch.References);
        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(manager.RunAsync(stop.Token), watch.RunAsync(stop.Token));

        var key = new ObjectKey("flux-system", "apps");
        await client.CreateAsync(KubeResource.Kustomization, new JsonObject
        {
            ["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1",
            ["kind"] = "Kustomization",
            ["metadata"] = new JsonObject { ["name"] = "apps", ["namespace"] = "flux-system" },
            ["spec"] = new JsonObject
            {
                ["interval"] = "1h",
                ["prune"] = true,
                ["sourceRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = "apps" },
                ["postBuild"] = new JsonObject
                {
                    ["substituteFrom"] = new JsonArray(
                        new JsonObject { ["kind"] = "Secret", ["name"] = "default-label" },
                        new JsonObject { ["kind"] = "Secret", ["name"] = "team-label" }),
                },
            },
        });
        await WaitUntil(() => counter.Calls.GetValueOrDefault(key) == 1, "the first reconcile");

        // Flux's default label no longer counts with another selector.
        await client.CreateAsync(KubeResource.Secret, Secret("default-label", ConfigWatch.Label, "Enabled"));
        await Task.Delay(1500);
        Assert.Equal(1, counter.Calls.GetValueOrDefault(key));

        await client.CreateAsync(KubeResource.Secret, Secret("team-label", "team", "platform"));
        await WaitUntil(() => counter.Calls.GetValueOrDefault(key) == 2, "the reconcile triggered by the matching Secret");

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static JsonObject Secret(string name, string label, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system", ["labels"] = new JsonObject { [label] = value } },
        ["stringData"] = new JsonObject { ["app"] = "x" },
    };

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not happen within 20s");
            await Task.Delay(50);
        }
    }
}
