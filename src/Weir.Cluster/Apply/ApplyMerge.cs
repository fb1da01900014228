using System.Text.Json.Nodes;

namespace Weir.Cluster.Apply;

/// <summary>
/// Merges an applied configuration into the live object the way structured-merge-diff does: maps merge per field,
/// list maps merge items by their keys and sets by value (keeping the live order where the configuration does not
/// reorder), atomic lists, atomic maps and scalars are replaced.
/// </summary>
public static class ApplyMerge
{
    public static JsonObject Merge(JsonObject live, JsonObject config, TypeNode type) =>
        (JsonObject)MergeValue(live, config, type)!;

    private static JsonNode? MergeValue(JsonNode? l, JsonNode? r, TypeNode type)
    {
        if (r is JsonObject ro && l is JsonObject lo && !type.IsAtomicMap)
        {
            var result = (JsonObject)lo.DeepClone();
            foreach (var (k, v) in ro)
            {
                result[k] = MergeValue(lo[k], v, type.Field(k));
            }
            return result;
        }
        if (r is JsonArray ra && l is JsonArray la && type.List != ListKind.Atomic)
        {
            return MergeList(la, ra, type);
        }
        return r?.DeepClone();
    }

    // The order rules of structured-merge-diff's list merge: walk both lists, keep live-only items where they are,
    // and place shared items in the configuration's order.
    private static JsonArray MergeList(JsonArray lhs, JsonArray rhs, TypeNode type)
    {
        var items = type.Items;
        var lhsPEs = lhs.Select((x, i) => type.ItemElement(x, i)).ToList();
        var rhsPEs = rhs.Select((x, i) => type.ItemElement(x, i)).ToList();
        var observedL = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        for (var i = 0; i < lhs.Count; i++)
        {
            observedL.TryAdd(lhsPEs[i], lhs[i]);
        }
        var observedR = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        for (var i = 0; i < rhs.Count; i++)
        {
            observedR.TryAdd(rhsPEs[i], rhs[i]);
        }
        var shared = new Queue<string>(rhsPEs.Where(observedL.ContainsKey));
        string? nextShared = shared.Count > 0 ? shared.Dequeue() : null;
        var mergedR = new HashSet<string>(StringComparer.Ordinal);
        var result = new JsonArray();
        JsonNode? Item(string pe) => type.List == ListKind.Map
            ? MergeValue(observedL.GetValueOrDefault(pe), observedR[pe], items)
            : observedR[pe]?.DeepClone();
        int lI = 0, rI = 0;
        while (lI < lhsPEs.Count || rI < rhsPEs.Count)
        {
            if (lI < lhsPEs.Count && rI < rhsPEs.Count)
            {
                var pe = lhsPEs[lI];
                if (pe == rhsPEs[rI])
                {
                    mergedR.Add(pe);
                    result.Add(Item(pe));
                    lI++;
                    rI++;
                    nextShared = shared.Count > 0 ? shared.Dequeue() : null;
                    continue;
                }
                if (observedR.ContainsKey(pe) && nextShared is not null && nextShared != pe)
                {
                    lI++;
                    continue;
                }
            }
            if (lI < lhsPEs.Count)
            {
                var pe = lhsPEs[lI];
                if (!observedR.ContainsKey(pe))
                {
                    result.Add(lhs[lI]?.DeepClone());
                    lI++;
                    continue;
                }
                if (mergedR.Contains(pe))
                {
                    lI++;
                    continue;
                }
            }
            if (rI < rhsPEs.Count)
            {
                var pe = rhsPEs[rI];
                mergedR.Add(pe);
                result.Add(Item(pe));
                rI++;
                if (nextShared == pe)
                {
                    nextShared = shared.Count > 0 ? shared.Dequeue() : null;
                }
            }
        }
        return result;
    }

    /// <summary>
    /// Removes from <paramref name="obj"/> the fields an applier stopped applying (<paramref name="removed"/>) that no
    /// manager owns now, neither the field nor anything below it.
    /// </summary>
    public static void Prune(JsonObject obj, FieldSet removed, FieldSet owned, TypeNode type, bool dropEmptyParents)
    {
        foreach (var path in removed.Paths().OrderBy(p => p.Count))
        {
            if (!owned.ContainsPrefix(path))
            {
                Remove(obj, path, type, owned, dropEmptyParents);
            }
        }
    }

    private static void Remove(JsonObject root, IReadOnlyList<string> path, TypeNode type, FieldSet owned, bool dropEmptyParents)
    {
        var chain = new List<(JsonNode Node, TypeNode Type)>();
        JsonNode? node = root;
        var t = type;
        for (var i = 0; i < path.Count - 1; i++)
        {
            chain.Add((node!, t));
            (node, t) = Step(node, t, path[i]);
            if (node is null)
            {
                return;
            }
        }
        chain.Add((node!, t));
        if (!RemoveChild(node, t, path[^1]) || !dropEmptyParents)
        {
            return;
        }
        // Built-in objects drop empty maps and lists (omitempty), unless someone owns the container itself.
        for (var depth = path.Count - 1; depth >= 1; depth--)
        {
            var (container, _) = chain[depth];
            var isEmpty = container is JsonObject { Count: 0 } || container is JsonArray { Count: 0 };
            if (!isEmpty || owned.Contains(path.Take(depth).ToList()))
            {
                return;
            }
            var (parent, parentType) = chain[depth - 1];
            RemoveChild(parent, parentType, path[depth - 1]);
        }
    }

    private static (JsonNode? Node, TypeNode Type) Step(JsonNode? node, TypeNode type, string element)
    {
        if (element.StartsWith("f:", StringComparison.Ordinal))
        {
            return (node is JsonObject o ? o[element[2..]] : null, type.Field(element[2..]));
        }
        if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                if (type.ItemElement(a[i], i) == element)
                {
                    return (a[i], type.Items);
                }
            }
        }
        return (null, type);
    }

    private static bool RemoveChild(JsonNode? node, TypeNode type, string element)
    {
        if (element.StartsWith("f:", StringComparison.Ordinal))
        {
            return node is JsonObject o && o.Remove(element[2..]);
        }
        if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                if (type.ItemElement(a[i], i) == element)
                {
                    a.RemoveAt(i);
                    return true;
                }
            }
        }
        return false;
    }
}
