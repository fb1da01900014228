using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Runtime.Controllers;

/// <summary>
/// The informer's copy of a resource's objects, keyed by namespace/name, with named secondary indexes
/// (e.g. Kustomizations by source) that are kept in step with every change.
/// </summary>
public sealed class ObjectCache
{
    private readonly ConcurrentDictionary<ObjectKey, JsonObject> _objects = new();
    private readonly Dictionary<string, Func<JsonObject, IEnumerable<string>>> _indexers = [];
    private readonly Dictionary<string, Dictionary<string, HashSet<ObjectKey>>> _indexes = [];
    private readonly object _indexGate = new();

    public int Count => _objects.Count;

    /// <summary>Registers an index; must be called before the informer starts.</summary>
    public void AddIndex(string name, Func<JsonObject, IEnumerable<string>> indexer)
    {
        lock (_indexGate)
        {
            _indexers[name] = indexer;
            _indexes[name] = [];
            foreach (var (key, obj) in _objects)
            {
                IndexOne(name, key, obj);
            }
        }
    }

    /// <summary>A copy of the cached object, safe for the caller to change.</summary>
    public JsonObject? Get(ObjectKey key) => _objects.TryGetValue(key, out var obj) ? (JsonObject)obj.DeepClone() : null;

    public IReadOnlyList<ObjectKey> Keys() => [.. _objects.Keys];

    public IReadOnlyList<ObjectKey> ByIndex(string name, string value)
    {
        lock (_indexGate)
        {
            return _indexes.TryGetValue(name, out var index) && index.TryGetValue(value, out var keys) ? [.. keys] : [];
        }
    }

    internal JsonObject? Put(JsonObject obj)
    {
        var key = obj.Key();
        JsonObject? previous = null;
        _objects.AddOrUpdate(key, obj, (_, old) =>
        {
            previous = old;
            return obj;
        });
        Reindex(key, previous, obj);
        return previous;
    }

    internal JsonObject? Remove(ObjectKey key)
    {
        if (!_objects.TryRemove(key, out var removed))
        {
            return null;
        }

        Reindex(key, removed, null);
        return removed;
    }

    private void Reindex(ObjectKey key, JsonObject? previous, JsonObject? current)
    {
        lock (_indexGate)
        {
            foreach (var (name, indexer) in _indexers)
            {
                if (previous is not null)
                {
                    foreach (var value in indexer(previous))
                    {
                        if (_indexes[name].TryGetValue(value, out var keys))
                        {
                            keys.Remove(key);
                        }
                    }
                }

                if (current is not null)
                {
                    IndexOne(name, key, current);
                }
            }
        }
    }

    private void IndexOne(string name, ObjectKey key, JsonObject obj)
    {
        foreach (var value in _indexers[name](obj))
        {
            if (!_indexes[name].TryGetValue(value, out var keys))
            {
                _indexes[name][value] = keys = [];
            }

            keys.Add(key);
        }
    }
}
