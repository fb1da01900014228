using System.Text.Json.Nodes;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Api;

/// <summary>
/// The part of garbage collection that cannot finish inside a delete request, driven by the store's change feed:
/// dependents of owners that were held by finalizers are deleted once the owner is gone, foreground deletions finish
/// when their last blocking dependent goes, and objects created with ownerReferences to owners that no longer exist
/// are deleted. At start it sweeps what is stored, so work left by a previous run is picked up.
/// </summary>
public sealed class GarbageCollector
{
    private readonly GenericRegistry _registry;
    private readonly WatchSubscription _feed;
    private readonly HashSet<string> _owners = [];
    private readonly List<ChangeEvent> _startup = [];

    private GarbageCollector(GenericRegistry registry, CancellationToken stopping)
    {
        _registry = registry;
        _feed = registry.Store.Subscribe(_ => Snapshot());
        Completion = Task.Run(() => RunAsync(stopping), CancellationToken.None);
    }

    public Task Completion { get; }

    public static GarbageCollector Start(GenericRegistry registry, CancellationToken stopping) => new(registry, stopping);

    public async Task StopAsync()
    {
        _feed.Dispose();
        try
        {
            await Completion;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting.
        }
    }

    private void Snapshot()
    {
        foreach (var t in _registry.DistinctStorage())
        {
            foreach (var o in _registry.Store.List(t.Group, t.StorageResource, null))
            {
                if (o.Json.Contains("\"ownerReferences\"", StringComparison.Ordinal) || o.Json.Contains(GenericRegistry.ForegroundFinalizer, StringComparison.Ordinal))
                {
                    _startup.Add(new ChangeEvent(o.ResourceVersion, o.Key, "ADDED", o.Json));
                }
            }
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            foreach (var change in _startup)
            {
                Handle(change);
            }
            _startup.Clear();
            await foreach (var change in _feed.Reader.ReadAllAsync(stopping))
            {
                Handle(change);
            }
        }
        catch (OperationCanceledException)
        {
            // Server stopping.
        }
        catch (ObjectDisposedException)
        {
            // Store closed while stopping.
        }
    }

    private void Handle(ChangeEvent change)
    {
        var json = change.Json;
        var hasRefs = json.Contains("\"ownerReferences\"", StringComparison.Ordinal);
        if (change.Type != "DELETED" && !hasRefs && !json.Contains(GenericRegistry.ForegroundFinalizer, StringComparison.Ordinal))
        {
            return;
        }
        if (_registry.Catalog.FindAnyVersion(change.Key.Group, change.Key.Resource) is not { } t)
        {
            return;
        }
        try
        {
            var meta = JsonNode.Parse(json)?["metadata"] as JsonObject;
            var ns = change.Key.Namespace == "" ? null : change.Key.Namespace;
            var refs = (meta?["ownerReferences"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            if (change.Type == "DELETED")
            {
                foreach (var r in refs)
                {
                    if (_registry.FindOwner(r, ns) is { } owner)
                    {
                        _registry.FinishForeground(owner.Type, owner.Namespace, owner.Name, Str(r["uid"]));
                    }
                }
                if (_owners.Remove(Str(meta?["uid"])))
                {
                    _registry.CollectDependentsOf(Str(meta?["uid"]), ns);
                }
                return;
            }
            var newOwner = false;
            foreach (var r in refs)
            {
                newOwner |= _owners.Add(Str(r["uid"]));
            }
            if (meta?["deletionTimestamp"] is not null && meta["finalizers"] is JsonArray f && f.Any(x => Str(x) == GenericRegistry.ForegroundFinalizer))
            {
                _registry.ContinueForeground(t, ns, change.Key.Name);
            }
            if (refs.Count > 0 && (change.Type == "ADDED" || newOwner))
            {
                _registry.CollectIfDangling(t, ns, change.Key.Name);
            }
        }
        catch (ApiException)
        {
            // Raced with another writer; the next change for the object brings it back here.
        }
    }

    private static string Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
