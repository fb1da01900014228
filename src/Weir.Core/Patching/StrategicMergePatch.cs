using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.OpenApi;

namespace Weir.Core.Patching;

/// <summary>A strategic merge patch could not be applied (conflicting node kinds, bad directive).</summary>
public sealed class StrategicMergePatchException(string message) : Exception(message);

/// <summary>
/// Strategic merge patch over JSON trees: maps merge recursively and <c>null</c> deletes a field; lists whose schema
/// says <c>x-kubernetes-patch-strategy: merge</c> merge by their merge key (scalar lists as sets); other lists and
/// maps with the <c>replace</c> strategy are replaced. Directives: <c>$patch</c> (<c>delete</c>, <c>replace</c>) on
/// maps and list elements, <c>$retainKeys</c>, <c>$deleteFromPrimitiveList/&lt;list&gt;</c> and, in API server order,
/// <c>$setElementOrder/&lt;list&gt;</c>.
/// <see cref="ListOrder.PatchFirst"/> orders merged lists as kustomize does; <see cref="ListOrder.TargetFirst"/> as the
/// Kubernetes API server (and <c>kubectl patch</c>) does.
/// </summary>
public static class StrategicMergePatch
{
    /// <summary>Where merged list elements go.</summary>
    public enum ListOrder
    {
        /// <summary>kustomize: the patch's elements first, then the target's others.</summary>
        PatchFirst,

        /// <summary>API server: the patch's new elements, then the target's elements in their order.</summary>
        TargetFirst,
    }

    private const string Directive = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    /// <summary>
    /// Merges <paramref name="patch"/> into <paramref name="target"/> (modified in place) using the schema of
    /// <paramref name="gvk"/>. Returns null when the patch deletes the whole object.
    /// </summary>
    public static JsonObject? Apply(JsonObject target, JsonObject patch, GroupVersionKind gvk, KubernetesOpenApi? openApi = null,
        ListOrder order = ListOrder.PatchFirst)
    {
        var api = openApi ?? KubernetesOpenApi.Instance;
        var definition = api.DefinitionFor(gvk);
        var schema = definition is null ? null : api.Definition(definition);
        if (order == ListOrder.PatchFirst)
        {
            CollapseDuplicateKeys(target, schema, api);
        }

        return new Merger(api, order).MergeMap(target, patch, schema);
    }

    // kustomize walks the whole target: in every keyed list, elements sharing a key collapse into one
    // (the last wins, at the first one's position).
    private static void CollapseDuplicateKeys(JsonNode? node, JsonObject? schema, KubernetesOpenApi api)
    {
        if (node is not JsonObject map)
        {
            return;
        }

        var resolved = api.Resolve(schema);
        if (resolved?["properties"] is not JsonObject)
        {
            return;
        }

        foreach (var (key, value) in map.ToList())
        {
            var fieldSchema = api.Property(resolved, key);
            switch (value)
            {
                case JsonObject child:
                    CollapseDuplicateKeys(child, fieldSchema, api);
                    break;
                case JsonArray list:
                    var meta = KubernetesOpenApi.PatchMetaOf(fieldSchema);
                    var itemSchema = api.Items(fieldSchema);
                    if (meta.MergesList && meta.ElementKeys.Count > 0)
                    {
                        var keys = meta.ElementKeys;
                        var firstIndex = new Dictionary<string, int>();
                        var result = new List<JsonNode?>();
                        foreach (var item in list)
                        {
                            var id = item is JsonObject o ? string.Join("\u0000", keys.Select(k => o[k]?.ToJsonString() ?? "")) : null;
                            if (id is not null && firstIndex.TryGetValue(id, out var at))
                            {
                                result[at] = item;
                            }
                            else
                            {
                                if (id is not null)
                                {
                                    firstIndex[id] = result.Count;
                                }

                                result.Add(item);
                            }
                        }

                        if (result.Count != list.Count)
                        {
                            var replaced = new JsonArray();
                            foreach (var item in result)
                            {
                                replaced.Add(item?.DeepClone());
                            }

                            map[key] = replaced;
                            list = replaced;
                        }
                    }

                    foreach (var item in list)
                    {
                        CollapseDuplicateKeys(item, itemSchema, api);
                    }

                    break;
            }
        }
    }

    private sealed class Merger(KubernetesOpenApi api, ListOrder order)
    {
        private bool Kyaml => order == ListOrder.PatchFirst;

        private T Clean<T>(T node)
            where T : JsonNode => WithoutDirectives(node, Kyaml);

        public JsonObject? MergeMap(JsonObject? dest, JsonObject src, JsonObject? schema)
        {
            var directive = DirectiveOf(src);
            if (directive == "delete")
            {
                // The API server leaves an empty map where kustomize drops the field.
                return order == ListOrder.TargetFirst && dest is not null ? [] : null;
            }

            if (dest is null && order == ListOrder.PatchFirst)
            {
                return (JsonObject)Added(src, schema);
            }

            if (dest is null || directive == "replace")
            {
                return Clean(src);
            }

            if (directive is not null && order == ListOrder.TargetFirst)
            {
                throw new StrategicMergePatchException($"Unknown patch type: {directive} in map: {src.ToJsonString()}");
            }

            if (!Kyaml && src[RetainKeys] is { } retain)
            {
                ApplyRetainKeys(dest, src, retain);
            }

            var ordered = new HashSet<string>(StringComparer.Ordinal);
            if (order == ListOrder.TargetFirst)
            {
                foreach (var (key, value) in src.ToList())
                {
                    if (key.StartsWith(SetElementOrder, StringComparison.Ordinal))
                    {
                        var list = key[SetElementOrder.Length..];
                        MergeOrderedList(dest, src, list, value as JsonArray ?? throw new StrategicMergePatchException("invalid patch format of setElementOrder list"), schema);
                        ordered.Add(list);
                    }
                }
            }

            foreach (var (key, value) in src.ToList())
            {
                if (key == Directive || (!Kyaml && (key.StartsWith(SetElementOrder, StringComparison.Ordinal) || key == RetainKeys)) || ordered.Contains(key))
                {
                    continue;
                }

                if (!Kyaml && key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
                {
                    var list = key[DeleteFromPrimitiveList.Length..];
                    var toDelete = value as JsonArray ?? throw new StrategicMergePatchException("invalid patch format of primitive list");
                    // As the API server does, a deletion list for an absent list becomes that list.
                    dest[list] = dest[list] is JsonArray current
                        ? new JsonArray([.. current.Where(c => !toDelete.Any(d => JsonNode.DeepEquals(c, d))).Select(c => c?.DeepClone())])
                        : toDelete.DeepClone();
                    continue;
                }

                if (value is null)
                {
                    dest.Remove(key);
                    continue;
                }

                var fieldSchema = api.Property(schema, key);
                var merged = MergeValue(dest[key], value, fieldSchema);
                if (merged is null)
                {
                    dest.Remove(key);
                }
                else if (!ReferenceEquals(merged, dest[key]))
                {
                    dest[key] = merged.Parent is null ? merged : merged.DeepClone();
                }
            }

            return dest;
        }

        private JsonNode? MergeValue(JsonNode? dest, JsonNode src, JsonObject? schema)
        {
            if (order == ListOrder.PatchFirst && dest is not null && NodeKind(dest) != NodeKind(src))
            {
                // kyaml's merge2 will not merge a map, a list and a scalar into one another.
                throw new StrategicMergePatchException($"wrong node kind: expected {NodeKind(dest)} but got {NodeKind(src)}: node contents: {src.ToJsonString()}");
            }

            switch (src)
            {
                case JsonObject srcMap when order == ListOrder.TargetFirst && dest is JsonObject && KubernetesOpenApi.PatchMetaOf(schema).Strategy.Split(',').Contains("replace"):
                    return Clean(srcMap);
                case JsonObject srcMap:
                    return MergeMap(dest as JsonObject, srcMap, api.Resolve(schema));
                case JsonArray srcList when dest is JsonArray destList && order == ListOrder.TargetFirst:
                    return MergeListInApiOrder(destList, srcList, schema);
                case JsonArray srcList when dest is JsonArray destList:
                    return MergeList(destList, srcList, schema);
                case JsonArray srcList when order == ListOrder.PatchFirst:
                    return Added(srcList, schema);
                case JsonArray srcList:
                    return Clean(srcList);
                default:
                    return src.DeepClone();
            }
        }

        private JsonNode? MergeList(JsonArray dest, JsonArray src, JsonObject? schema)
        {
            var meta = KubernetesOpenApi.PatchMetaOf(schema);
            var listDirective = src.OfType<JsonObject>().Select(DirectiveOf).FirstOrDefault(d => d is not null);
            if (listDirective == "replace")
            {
                return Clean(new JsonArray(src.Where(e => !(e is JsonObject o && DirectiveOf(o) == "replace" && o.Count == 1))
                    .Select(e => e?.DeepClone()).ToArray()));
            }

            if (!meta.MergesList)
            {
                return Clean(src);
            }

            var itemSchema = api.Items(schema);
            if (meta.MergeKey.Length == 0)
            {
                return MergePrimitiveList(dest, src);
            }

            var key = meta.MergeKey;
            var result = new List<JsonNode?>();
            var usedDest = new HashSet<int>();
            foreach (var element in src)
            {
                if (element is not JsonObject srcItem)
                {
                    result.Add(element?.DeepClone());
                    continue;
                }

                var keyValue = srcItem[key];
                var match = -1;
                for (var i = 0; i < dest.Count; i++)
                {
                    if (!usedDest.Contains(i) && dest[i] is JsonObject d && JsonNode.DeepEquals(d[key], keyValue))
                    {
                        match = i;
                        break;
                    }
                }

                if (match >= 0)
                {
                    usedDest.Add(match);
                    var merged = MergeMap((JsonObject)dest[match]!, srcItem, api.Resolve(itemSchema));
                    if (merged is not null)
                    {
                        result.Add(merged);
                    }
                }
                else if (DirectiveOf(srcItem) != "delete")
                {
                    result.Add(Added(srcItem, itemSchema));
                }
            }

            for (var i = 0; i < dest.Count; i++)
            {
                if (!usedDest.Contains(i))
                {
                    result.Add(dest[i]);
                }
            }

            var list = new JsonArray();
            foreach (var item in result)
            {
                list.Add(item?.Parent is null ? item : item.DeepClone());
            }

            return list;
        }


        // kustomize (kyaml's merge2) adds what the target lacks without its null fields, in maps and in the elements of
        // lists merged by key; a list that replaces is copied as it is. An emptied map stays as {}.
        private JsonNode Added(JsonNode src, JsonObject? schema)
        {
            switch (src)
            {
                case JsonObject map:
                    var copy = new JsonObject();
                    foreach (var (key, value) in map)
                    {
                        if (value is not null && !IsDirective(key, Kyaml))
                        {
                            copy[key] = Added(value, api.Property(schema, key));
                        }
                    }

                    return copy;
                case JsonArray list when KubernetesOpenApi.PatchMetaOf(schema) is { MergesList: true, MergeKey.Length: > 0 }:
                    var items = api.Items(schema);
                    // An element the patch deletes from a list the target lacks is simply not added.
                    return new JsonArray([.. list.Where(e => e is not JsonObject o || DirectiveOf(o) != "delete")
                        .Select(e => e is JsonObject o ? Added(o, items) : e?.DeepClone())]);
                default:
                    return Clean(src);
            }
        }

        // The API server's list merge: delete and replace elements first, merge by key (scalars as a set), then
        // order patch elements by the patch and the rest by the target, interleaved where the target orders both.
        private JsonArray MergeListInApiOrder(JsonArray dest, JsonArray src, JsonObject? schema)
        {
            var meta = KubernetesOpenApi.PatchMetaOf(schema);
            if (!meta.MergesList)
            {
                return Clean(src);
            }

            if (dest.Count == 0 && src.Count == 0)
            {
                return new JsonArray();
            }

            var maps = dest.Concat(src).FirstOrDefault() is JsonObject;
            if (!maps)
            {
                var both = new List<JsonNode?>();
                foreach (var item in dest.Concat(src))
                {
                    if (!both.Any(b => JsonNode.DeepEquals(b, item)))
                    {
                        both.Add(item);
                    }
                }

                return Normalize(both, [.. src], [.. dest], null);
            }

            var key = meta.MergeKey;
            if (key.Length == 0)
            {
                throw new StrategicMergePatchException("cannot merge lists without merge key");
            }

            var original = dest.ToList();
            var patch = new List<JsonNode?>();
            var replace = false;
            foreach (var element in src)
            {
                if (element is JsonObject o && DirectiveOf(o) is { } d)
                {
                    switch (d)
                    {
                        case "delete":
                            var value = o[key] ?? throw new StrategicMergePatchException($"map: {o.ToJsonString()} does not contain declared merge key: {key}");
                            original.RemoveAll(x => x is JsonObject xo && JsonNode.DeepEquals(xo[key], value));
                            break;
                        case "replace":
                            replace = true;
                            break;
                        case "merge":
                            throw new StrategicMergePatchException("merging lists cannot yet be specified in the patch");
                        default:
                            throw new StrategicMergePatchException($"Unknown patch type: {d} in map: {o.ToJsonString()}");
                    }
                }
                else
                {
                    patch.Add(element);
                }
            }

            if (replace)
            {
                original = [.. patch.Select(p => (JsonNode?)Clean(p!))];
                patch = [];
            }

            var serverOrder = original.ToList();
            var merged = original.Select(x => x?.DeepClone()).ToList();
            var itemSchema = api.Resolve(api.Items(schema));
            foreach (var element in patch)
            {
                var item = element as JsonObject ?? throw new StrategicMergePatchException("list element types are not identical");
                var value = item[key] ?? throw new StrategicMergePatchException($"map: {item.ToJsonString()} does not contain declared merge key: {key}");
                var at = merged.FindIndex(x => x is JsonObject xo && JsonNode.DeepEquals(xo[key], value));
                if (at >= 0)
                {
                    merged[at] = MergeMap((JsonObject)merged[at]!, item, itemSchema) ?? new JsonObject();
                }
                else
                {
                    merged.Add(Clean(item));
                }
            }

            return Normalize(merged, patch, serverOrder, key);
        }

        private void MergeOrderedList(JsonObject dest, JsonObject src, string name, JsonArray elementOrder, JsonObject? schema)
        {
            var fieldSchema = api.Property(schema, name);
            var original = dest[name] as JsonArray;
            var patch = src[name] as JsonArray;
            JsonArray merged;
            if (original is not null && patch is not null)
            {
                merged = MergeListInApiOrder(original, patch, fieldSchema);
            }
            else if (patch is not null)
            {
                merged = Clean(patch);
            }
            else if (original is not null)
            {
                merged = (JsonArray)original.DeepClone();
            }
            else
            {
                return;
            }

            var key = KubernetesOpenApi.PatchMetaOf(fieldSchema).MergeKey;
            var keyOrNull = merged.FirstOrDefault() is JsonObject && key.Length > 0 ? key : null;
            dest[name] = Normalize([.. merged], [.. elementOrder], original is null ? [] : [.. original], keyOrNull);
        }

        // Splits the merged elements into those the patch (or order list) names and the target's others, sorts each by
        // its own order, then merges the two runs, taking a target element first only where the target orders it
        // before the next patch element.
        private static JsonArray Normalize(List<JsonNode?> merged, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string? key)
        {
            int IndexIn(List<JsonNode?> list, JsonNode? item) => list.FindIndex(x => Same(x, item, key));
            var patchItems = merged.Where(m => IndexIn(patchOrder, m) >= 0).OrderBy(m => IndexIn(patchOrder, m)).ToList();
            var serverOnly = merged.Where(m => IndexIn(patchOrder, m) < 0).OrderBy(m => IndexIn(serverOrder, m) is var i && i < 0 ? int.MaxValue : i).ToList();
            var result = new JsonArray();
            int l = 0, r = 0;
            while (l < serverOnly.Count || r < patchItems.Count)
            {
                JsonNode? next;
                if (r >= patchItems.Count)
                {
                    next = serverOnly[l++];
                }
                else if (l >= serverOnly.Count)
                {
                    next = patchItems[r++];
                }
                else
                {
                    var li = IndexIn(serverOrder, serverOnly[l]);
                    var ri = IndexIn(serverOrder, patchItems[r]);
                    next = li >= 0 && ri >= 0 && li < ri ? serverOnly[l++] : patchItems[r++];
                }

                result.Add(next?.Parent is null ? next : next.DeepClone());
            }

            return result;
        }

        private static bool Same(JsonNode? a, JsonNode? b, string? key) =>
            key is null ? JsonNode.DeepEquals(a, b) : a is JsonObject ao && b is JsonObject bo && JsonNode.DeepEquals(ao[key], bo[key]);

        private static void ApplyRetainKeys(JsonObject dest, JsonObject src, JsonNode retain)
        {
            var keep = (retain as JsonArray ?? throw new StrategicMergePatchException("invalid patch format of retainKeys"))
                .Select(k => k is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).ToHashSet();
            foreach (var (k, v) in src)
            {
                if (v is not null && k != Directive && k != RetainKeys && !k.StartsWith('$') && !keep.Contains(k))
                {
                    throw new StrategicMergePatchException("invalid patch format of retainKeys");
                }
            }

            foreach (var k in dest.Select(p => p.Key).ToList())
            {
                if (!keep.Contains(k))
                {
                    dest.Remove(k);
                }
            }
        }
    }

    private static JsonArray MergePrimitiveList(JsonArray dest, JsonArray src)
    {
        var result = new JsonArray();
        foreach (var item in src.Concat(dest))
        {
            if (!result.Any(r => JsonNode.DeepEquals(r, item)))
            {
                result.Add(item?.DeepClone());
            }
        }

        return result;
    }

    private static string NodeKind(JsonNode node) => node switch
    {
        JsonObject => "MappingNode",
        JsonArray => "SequenceNode",
        _ => "ScalarNode",
    };

    // kyaml's merge2 (kustomize) knows only $patch: the other directives are plain fields to it.
    private static bool IsDirective(string key, bool kyaml) =>
        key is Directive || (!kyaml && (key is RetainKeys || key.StartsWith(SetElementOrder, StringComparison.Ordinal)
            || key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal)));

    private static string? DirectiveOf(JsonObject map) =>
        map[Directive] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static T WithoutDirectives<T>(T node, bool kyaml)
        where T : JsonNode
    {
        var copy = (T)node.DeepClone();
        Strip(copy, kyaml);
        return copy;
    }

    private static void Strip(JsonNode? node, bool kyaml)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).Where(k => IsDirective(k, kyaml)).ToList())
                {
                    o.Remove(key);
                }

                foreach (var (_, v) in o)
                {
                    Strip(v, kyaml);
                }

                break;
            case JsonArray a:
                foreach (var v in a)
                {
                    Strip(v, kyaml);
                }

                break;
        }
    }
}
