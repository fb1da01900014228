using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Bench.Scale;

/// <summary>Follows which sources (OCIRepositories) and appliers (Kustomizations or HelmReleases) are Ready, by watching both kinds.</summary>
internal sealed class Readiness(ResourceClient client, KubeResource applier, string ns)
{
    private readonly Informer _sources = new(client, KubeResource.OCIRepository, ns);
    private readonly Informer _appliers = new(client, applier, ns);

    public ConcurrentDictionary<ObjectKey, bool> Sources { get; } = new();

    public ConcurrentDictionary<ObjectKey, bool> Appliers { get; } = new();

    public Task Synced => Task.WhenAll(_sources.Synced, _appliers.Synced);

    public Task RunAsync(CancellationToken cancellationToken)
    {
        Track(_sources, Sources);
        Track(_appliers, Appliers);
        return Task.WhenAll(_sources.RunAsync(cancellationToken), _appliers.RunAsync(cancellationToken));
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
