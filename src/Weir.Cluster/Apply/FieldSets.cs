using System.Text.Json.Nodes;

namespace Weir.Cluster.Apply;

/// <summary>What changed between two versions of an object, as field sets.</summary>
public sealed record Comparison(FieldSet Added, FieldSet Modified, FieldSet Removed)
{
    public FieldSet Changed => Added.Union(Modified);
}

/// <summary>Field sets of objects: what an applied configuration sets, and what differs between two objects.</summary>
public static class FieldSets
{
    // Go structs that are never absent from a built-in object, so an Update never "adds" them.
    private static readonly HashSet<string> AlwaysPresentStructs = ["f:metadata", "f:spec", "f:status", "f:template", "f:strategy", "f:updateStrategy"];

    /// <summary>The fields an applied configuration sets: its leaves, list items, and empty maps or lists.</summary>
    public static FieldSet Of(JsonObject obj, TypeNode type)
    {
        var set = new FieldSet();
        AddMap(set, obj, type);
        return set;
    }

    private static void AddValue(FieldSet node, JsonNode? value, TypeNode type)
    {
        switch (value)
        {
            case JsonObject o when !type.IsAtomicMap && o.Count > 0:
                AddMap(node, o, type);
                break;
            case JsonArray a when type.List != ListKind.Atomic && a.Count > 0:
                var items = type.Items;
                for (var i = 0; i < a.Count; i++)
                {
                    var child = node.Child(type.ItemElement(a[i], i));
                    child.MarkMember();
                    if (type.List == ListKind.Map && a[i] is JsonObject item)
                    {
                        AddMap(child, item, items);
                    }
                }
                break;
            default:
                node.MarkMember();
                break;
        }
    }

    private static void AddMap(FieldSet node, JsonObject o, TypeNode type)
    {
        foreach (var (k, v) in o)
        {
            AddValue(node.Child("f:" + k), v, type.Field(k));
        }
    }

    /// <summary>Fields added, modified and removed from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static Comparison Compare(JsonObject? before, JsonObject after, TypeNode type)
    {
        var c = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        CompareValue(before ?? [], after, type, [], c);
        return c;
    }

    private static void CompareValue(JsonNode? l, JsonNode? r, TypeNode type, List<string> path, Comparison c)
    {
        if (l is JsonObject lo && r is JsonObject ro && !type.IsAtomicMap)
        {
            foreach (var k in lo.Select(p => p.Key).Union(ro.Select(p => p.Key)).ToList())
            {
                path.Add("f:" + k);
                var fieldType = type.Field(k);
                var inLeft = lo.TryGetPropertyValue(k, out var lv) && lv is not null;
                var inRight = ro.TryGetPropertyValue(k, out var rv) && rv is not null;
                if (inLeft && !inRight)
                {
                    Subtree(lv, fieldType, path, c.Removed);
                }
                else if (!inLeft && inRight)
                {
                    Subtree(rv, fieldType, path, c.Added);
                }
                else if (inLeft)
                {
                    CompareValue(lv, rv, fieldType, path, c);
                }
                path.RemoveAt(path.Count - 1);
            }
            return;
        }
        if (l is JsonArray la && r is JsonArray ra && type.List != ListKind.Atomic)
        {
            var left = Index(la, type);
            var right = Index(ra, type);
            var items = type.Items;
            foreach (var (element, item) in left)
            {
                path.Add(element);
                if (!right.TryGetValue(element, out var other))
                {
                    Subtree(item, items, path, c.Removed, listItem: type.List == ListKind.Map);
                }
                else if (type.List == ListKind.Map)
                {
                    CompareValue(item, other, items, path, c);
                }
                path.RemoveAt(path.Count - 1);
            }
            foreach (var (element, item) in right)
            {
                if (!left.ContainsKey(element))
                {
                    path.Add(element);
                    Subtree(item, items, path, c.Added, listItem: type.List == ListKind.Map);
                    path.RemoveAt(path.Count - 1);
                }
            }
            return;
        }
        if (!JsonNode.DeepEquals(l, r))
        {
            c.Modified.Insert(path);
        }
    }

    private static Dictionary<string, JsonNode?> Index(JsonArray list, TypeNode type)
    {
        var index = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            index.TryAdd(type.ItemElement(list[i], i), list[i]);
        }
        return index;
    }

    /// <summary>Inserts a path and everything below it (used for added and removed parts).</summary>
    private static void Subtree(JsonNode? value, TypeNode type, List<string> path, FieldSet set, bool listItem = false)
    {
        if (listItem || !type.IsBuiltin || path.Count == 0 || !AlwaysPresentStructs.Contains(path[^1]))
        {
            set.Insert(path);
        }
        switch (value)
        {
            case JsonObject o when !type.IsAtomicMap:
                foreach (var (k, v) in o)
                {
                    if (v is null)
                    {
                        continue;
                    }
                    path.Add("f:" + k);
                    Subtree(v, type.Field(k), path, set);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            case JsonArray a when type.List != ListKind.Atomic:
                var items = type.Items;
                for (var i = 0; i < a.Count; i++)
                {
                    path.Add(type.ItemElement(a[i], i));
                    if (type.List == ListKind.Map)
                    {
                        Subtree(a[i], items, path, set, listItem: true);
                    }
                    else
                    {
                        set.Insert(path);
                    }
                    path.RemoveAt(path.Count - 1);
                }
                break;
        }
    }
}
