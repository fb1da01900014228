using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Weir.Controllers.Kustomizations;
using Weir.Core.Objects;
using Weir.Hosting;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Sources.Storage;
using Xunit;

namespace Weir.Testing;

/// <summary>
/// The controllers as <c>weir up</c> runs them, in-process: a fresh embedded API server, the artifact store and
/// server, and every controller built by Weir.Hosting's <see cref="ControllerSet"/>, all over HTTP with the real
/// KubernetesClient. Timings are shortened (requeue, polling, timeout floor) so failures show within seconds; a
/// derived fixture changes <see cref="Options"/>.
/// </summary>
public class ControllerStack : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private readonly string _storage = TestEnv.TempDir("weir-artifacts-");
    private Task _running = Task.CompletedTask;

    /// <summary>The Kustomization controller's shortened timings.</summary>
    public static KustomizationOptions KustomizationOptions { get; } = new()
    {
        RequeueDependency = TimeSpan.FromSeconds(1),
        HealthCheckInterval = TimeSpan.FromMilliseconds(300),
        StageWaitInterval = TimeSpan.FromMilliseconds(200),
        MinimumTimeout = TimeSpan.FromSeconds(1),
    };

    public EmbeddedCluster Cluster { get; } = new();

    public ResourceClient Client => Cluster.Client;

    public string Kubeconfig => Cluster.Server.KubeconfigPath!;

    public ArtifactStore Store { get; private set; } = null!;

    public ArtifactServer Server { get; private set; } = null!;

    /// <summary>Unexpected reconcile exceptions (steps report expected failures as conditions instead).</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>The controllers' settings.</summary>
    protected virtual ControllerSetOptions Options => new() { Kustomization = KustomizationOptions };

    public virtual async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        Store = new ArtifactStore(_storage);
        Server = await ArtifactServer.StartAsync(Store);
        var controllers = new ControllerSet(Client, Store, Server, new ControllerMetrics(), Options with
        {
            OnError = (controller, key, error) => Errors.Enqueue($"{controller} {key}: {error}"),
        });
        _running = controllers.RunAsync(_stop.Token);
    }

    public virtual async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(10));
        await Server.DisposeAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(_storage, recursive: true);
    }

    /// <summary>Waits until the Ready condition of flux-system/<paramref name="name"/> satisfies <paramref name="condition"/>; returns that condition.</summary>
    public Task<JsonObject> WaitForReadyAsync(KubeResource resource, string name, Func<JsonObject, bool> condition, TimeSpan? timeout = null) =>
        StatusConditions.WaitForConditionAsync(Client, resource, new ObjectKey("flux-system", name), condition, timeout: timeout,
            diagnostics: () => "errors: " + string.Join("\n", Errors));

    /// <summary>Asks for an immediate reconcile, as <c>flux reconcile</c> does.</summary>
    public Task RequestReconcileAsync(KubeResource resource, string name) =>
        Client.PatchAsync(resource, new ObjectKey("flux-system", name), new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { [Predicates.RequestedAtAnnotation] = DateTimeOffset.UtcNow.ToString("O") },
            },
        }, "merge");
}
