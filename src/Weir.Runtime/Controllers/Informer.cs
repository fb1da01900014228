using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Runtime.Controllers;

/// <summary>A change the informer saw: <see cref="Old"/> is null on add, <see cref="New"/> is null on delete.</summary>
public readonly record struct ObjectChange(JsonObject? Old, JsonObject? New)
{
    public ObjectKey Key => (New ?? Old)!.Key();
}

/// <summary>
/// Keeps an <see cref="ObjectCache"/> of one resource in step with the API server by list then watch, as
/// client-go's informers do: it resumes the watch from the last resourceVersion (bookmarks included), lists again
/// when the server answers 410 Gone or the stream fails, and re-announces every object each resync period. Cached
/// objects carry no <c>metadata.managedFields</c>.
/// </summary>
public sealed class Informer(
    ResourceClient client, KubeResource resource, string? ns = null, string? labelSelector = null,
    TimeSpan? resyncPeriod = null, TimeProvider? clock = null)
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Action<ObjectChange>> _handlers = [];
    private readonly List<Action<Exception?>> _errorHandlers = [];
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public KubeResource Resource { get; } = resource;

    public ObjectCache Cache { get; } = new();

    /// <summary>Completes once the first list has filled the cache.</summary>
    public Task Synced => _synced.Task;

    /// <summary>Registers a handler; resync calls it with Old == New.</summary>
    public void OnChange(Action<ObjectChange> handler) => _handlers.Add(handler);

    /// <summary>Registers a handler told of each failed list or watch (the exception), and of the next good list (null).</summary>
    public void OnError(Action<Exception?> handler) => _errorHandlers.Add(handler);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var resync = resyncPeriod is { } period
            ? _clock.CreateTimer(_ => Resync(), null, period, period)
            : null;
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
        var failing = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await ListAsync(cancellationToken);
                backoff.Forget(this);
                if (failing)
                {
                    failing = false;
                    _errorHandlers.ForEach(h => h(null));
                }

                while (!cancellationToken.IsCancellationRequested)
                {
                    resourceVersion = await WatchAsync(resourceVersion, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // 410 Gone, a dropped stream or an unreachable server: list again after a backoff.
                failing = true;
                _errorHandlers.ForEach(h => h(e));
                try
                {
                    await Task.Delay(backoff.When(this), _clock, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var (items, resourceVersion) = await client.ListAsync(Resource, ns, labelSelector, cancellationToken);
        var seen = new HashSet<ObjectKey>();
        foreach (var item in items)
        {
            seen.Add(item.Key());
            Apply(item);
        }

        foreach (var stale in Cache.Keys().Where(k => !seen.Contains(k)))
        {
            if (Cache.Remove(stale) is { } removed)
            {
                Notify(new ObjectChange(removed, null));
            }
        }

        _synced.TrySetResult();
        return resourceVersion;
    }

    private async Task<string> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        await foreach (var e in client.WatchAsync(Resource, ns, resourceVersion, labelSelector, cancellationToken: cancellationToken))
        {
            var rv = e.Object.ResourceVersion();
            if (rv.Length > 0)
            {
                resourceVersion = rv;
            }

            switch (e.Type)
            {
                case k8s.WatchEventType.Added or k8s.WatchEventType.Modified:
                    e.Object["apiVersion"] ??= Resource.ApiVersion;
                    e.Object["kind"] ??= Resource.Kind;
                    Apply(e.Object);
                    break;
                case k8s.WatchEventType.Deleted:
                    if (Cache.Remove(e.Object.Key()) is { } removed)
                    {
                        Notify(new ObjectChange(removed, null));
                    }

                    break;
            }
        }

        return resourceVersion;
    }

    private void Apply(JsonObject obj)
    {
        // As Flux's caches do: managedFields are often the bulk of an object and nothing reads them from the cache.
        obj.Metadata()?.Remove("managedFields");
        var previous = Cache.Put(obj);
        if (previous is null || previous.ResourceVersion() != obj.ResourceVersion())
        {
            Notify(new ObjectChange(previous, obj));
        }
    }

    private void Resync()
    {
        foreach (var key in Cache.Keys())
        {
            if (Cache.Get(key) is { } obj)
            {
                Notify(new ObjectChange(obj, obj));
            }
        }
    }

    private void Notify(ObjectChange change)
    {
        foreach (var handler in _handlers)
        {
            handler(change);
        }
    }
}
