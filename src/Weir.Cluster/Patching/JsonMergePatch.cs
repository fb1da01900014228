using System.Text.Json.Nodes;

namespace Weir.Cluster.Patching;

/// <summary>RFC 7386 JSON merge patch: objects merge recursively, <c>null</c> deletes, everything else replaces.</summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : [];
        foreach (var (key, value) in p)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Apply(result[key], value);
            }
        }
        return result;
    }
}
