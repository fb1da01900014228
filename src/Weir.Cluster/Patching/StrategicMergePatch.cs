using System.Text.Json.Nodes;

namespace Weir.Cluster.Patching;

/// <summary>
/// A first approximation of strategic merge patch for built-in kinds: maps merge, <c>null</c> deletes, lists of objects
/// that all carry <c>name</c> merge by name (honouring <c>$patch: delete</c>), other lists replace; other directives
/// (<c>$setElementOrder</c>, <c>$retainKeys</c>) are dropped.
/// TODO(part 2): the schema-driven implementation with each field's real patch merge key and strategy.
/// </summary>
public static class StrategicMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : [];
        if (p["$patch"] is JsonValue dv && dv.GetValue<string>() == "replace")
        {
            result = [];
        }
        foreach (var (key, value) in p)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonArray pa && result[key] is JsonArray ta && MergesByName(pa) && MergesByName(ta))
            {
                result[key] = MergeList(ta, pa);
            }
            else
            {
                result[key] = Apply(result[key], value);
            }
        }
        return result;
    }

    private static bool MergesByName(JsonArray list) =>
        list.Count > 0 && list.All(i => i is JsonObject o && o["name"] is JsonValue);

    private static JsonArray MergeList(JsonArray target, JsonArray patch)
    {
        var result = (JsonArray)target.DeepClone();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var name = item["name"]!.GetValue<string>();
            var index = -1;
            for (var i = 0; i < result.Count; i++)
            {
                if (result[i]?["name"]?.GetValue<string>() == name)
                {
                    index = i;
                    break;
                }
            }
            var delete = item["$patch"] is JsonValue d && d.GetValue<string>() == "delete";
            if (delete)
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                result[index] = Apply(result[index], item);
            }
            else
            {
                result.Add(Apply(null, item));
            }
        }
        return result;
    }
}
