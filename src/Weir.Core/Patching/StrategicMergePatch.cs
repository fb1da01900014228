using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.OpenApi;

namespace Weir.Core.Patching;

/// <summary>A strategic merge patch could not be applied (conflicting node kinds, bad directive).</summary>
public sealed class StrategicMergePatchException(string message) : Exception(message);

/// <summary>
/// Strategic merge patch over JSON trees, as kustomize applies it: maps merge recursively and <c>null</c> deletes a
/// field; lists whose schema says <c>x-kubernetes-patch-strategy: merge</c> merge by their merge key (patch
/// elements first, then the target's remaining elements); other lists are replaced. Honours the <c>$patch</c>
/// directive (<c>delete</c>, <c>replace</c>, <c>merge</c>) on maps and list elements.
/// With <see cref="ListOrder.TargetFirst"/>, merged list elements stay in the target's order, after the patch's new
/// elements, as the Kubernetes API server orders them (without <c>$setElementOrder</c>).
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
        public JsonObject? MergeMap(JsonObject? dest, JsonObject src, JsonObject? schema)
        {
            var directive = DirectiveOf(src);
            if (directive == "delete")
            {
                return null;
            }

            if (dest is null || directive == "replace")
            {
                return WithoutDirectives(src);
            }

            foreach (var (key, value) in src.ToList())
            {
                if (key == Directive || key.StartsWith("$setElementOrder/", StringComparison.Ordinal) || key == "$retainKeys")
                {
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
            switch (src)
            {
                case JsonObject srcMap:
                    return MergeMap(dest as JsonObject, srcMap, api.Resolve(schema));
                case JsonArray srcList when dest is JsonArray destList:
                    return MergeList(destList, srcList, schema);
                case JsonArray srcList:
                    return WithoutDirectives(srcList);
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
                return WithoutDirectives(new JsonArray(src.Where(e => !(e is JsonObject o && DirectiveOf(o) == "replace" && o.Count == 1))
                    .Select(e => e?.DeepClone()).ToArray()));
            }

            if (!meta.MergesList)
            {
                return WithoutDirectives(src);
            }

            var itemSchema = api.Items(schema);
            if (meta.MergeKey.Length == 0)
            {
                return order == ListOrder.PatchFirst ? MergePrimitiveList(dest, src) : MergePrimitiveList(new JsonArray(), new JsonArray(dest.Concat(src).Select(x => x?.DeepClone()).ToArray()));
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
                    result.Add(WithoutDirectives(srcItem));
                }
            }

            for (var i = 0; i < dest.Count; i++)
            {
                if (!usedDest.Contains(i))
                {
                    result.Add(dest[i]);
                }
            }

            if (order == ListOrder.TargetFirst)
            {
                // The patch's new elements first, then the target's (merged or not) in their original order.
                var fromDest = dest.Where(d => result.Contains(d)).ToList();
                var added = result.Where(r => !dest.Contains(r)).ToList();
                result = [.. added, .. fromDest];
            }

            var list = new JsonArray();
            foreach (var item in result)
            {
                list.Add(item?.Parent is null ? item : item.DeepClone());
            }

            return list;
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

    private static string? DirectiveOf(JsonObject map) =>
        map[Directive] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static T WithoutDirectives<T>(T node)
        where T : JsonNode
    {
        var copy = (T)node.DeepClone();
        Strip(copy);
        return copy;
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                o.Remove(Directive);
                foreach (var (_, v) in o)
                {
                    Strip(v);
                }

                break;
            case JsonArray a:
                foreach (var v in a)
                {
                    Strip(v);
                }

                break;
        }
    }
}
