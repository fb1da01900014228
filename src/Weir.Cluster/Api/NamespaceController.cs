using System.Text.Json.Nodes;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Api;

/// <summary>
/// The built-in namespace finalizer: once a namespace is Terminating, deletes everything in it (waiting for objects
/// held by finalizers), then removes the namespace.
/// </summary>
public sealed class NamespaceController
{
    private readonly GenericRegistry _registry;
    private readonly CancellationToken _stopping;
    private readonly HashSet<string> _running = [];

    public NamespaceController(GenericRegistry registry, CancellationToken stopping)
    {
        _registry = registry;
        _stopping = stopping;
        registry.NamespaceTerminating += Start;
    }

    /// <summary>Resumes namespaces left Terminating by a previous run.</summary>
    public void ResumePending()
    {
        foreach (var o in _registry.Store.List("", "namespaces", null))
        {
            if (o.Json.Contains("\"deletionTimestamp\"", StringComparison.Ordinal))
            {
                Start(o.Key.Name);
            }
        }
    }

    private void Start(string ns)
    {
        lock (_running)
        {
            if (!_running.Add(ns))
            {
                return;
            }
        }
        _ = Task.Run(() => RunAsync(ns));
    }

    private async Task RunAsync(string ns)
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                if (EmptyOnce(ns))
                {
                    var nsType = _registry.Catalog.Find("", "v1", "namespaces")!;
                    lock (_registry.Store.Gate)
                    {
                        var key = new ObjectKey("", "namespaces", "", ns);
                        if (_registry.Store.Get(key) is { } stored)
                        {
                            var obj = JsonNode.Parse(stored.Json)!.AsObject();
                            if (obj["spec"] is JsonObject spec)
                            {
                                spec["finalizers"] = new JsonArray();
                            }
                            _registry.Store.Delete(key, rv =>
                            {
                                obj["metadata"]!["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
                                return obj.ToJsonString(JsonText.Options);
                            });
                        }
                    }
                    _ = nsType;
                    return;
                }
                await Task.Delay(200, _stopping);
            }
        }
        catch (OperationCanceledException)
        {
            // Server stopping; ResumePending picks the namespace up on the next start.
        }
        catch (ObjectDisposedException)
        {
            // Store closed while stopping.
        }
        finally
        {
            lock (_running)
            {
                _running.Remove(ns);
            }
        }
    }

    /// <summary>Deletes what is left in the namespace; true when nothing remains.</summary>
    private bool EmptyOnce(string ns)
    {
        var empty = true;
        foreach (var t in _registry.DistinctStorage().Where(t => t.Namespaced))
        {
            foreach (var o in _registry.Store.List(t.Group, t.StorageResource, ns))
            {
                empty = false;
                try
                {
                    _registry.Delete(t, ns, o.Key.Name, new DeleteOptions());
                }
                catch (ApiException)
                {
                    // Raced with another delete; the next pass sees the result.
                }
            }
        }
        return empty;
    }
}
