using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Bench.Scale;

/// <summary>Follows which OCIRepositories and Kustomizations are Ready, by watching both kinds.</summary>
internal sealed class Readiness(ResourceClient client)
{
    private readonly Informer _sources = new(client, KubeResource.OCIRepository, "flux-system");
    private readonly Informer _kustomizations = new(client, KubeResource.Kustomization, "flux-system");

    public ConcurrentDictionary<ObjectKey, bool> Sources { get; } = new();

    public ConcurrentDictionary<ObjectKey, bool> Kustomizations { get; } = new();

    public Task Synced => Task.WhenAll(_sources.Synced, _kustomizations.Synced);

    public Task RunAsync(CancellationToken cancellationToken)
    {
        Track(_sources, Sources);
        Track(_kustomizations, Kustomizations);
        return Task.WhenAll(_sources.RunAsync(cancellationToken), _kustomizations.RunAsync(cancellationToken));
    }

    private static void Track(Informer informer, ConcurrentDictionary<ObjectKey, bool> ready) => informer.OnChange(change =>
    {
        if (change.New is { } obj && IsReady(obj))
        {
            ready[change.Key] = true;
        }
        else
        {
            ready.TryRemove(change.Key, out _);
        }
    });

    private static bool IsReady(JsonObject obj) =>
        obj["status"]?["conditions"] is JsonArray conditions &&
        conditions.OfType<JsonObject>().Any(c => c["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True");
}
