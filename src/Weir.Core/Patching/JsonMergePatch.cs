using System.Text.Json.Nodes;

namespace Weir.Core.Patching;

/// <summary>JSON Merge Patch (RFC 7386): objects merge recursively, null deletes, anything else replaces.</summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var existing = result[key];
                var merged = Apply(existing, value);
                if (!ReferenceEquals(merged, existing))
                {
                    result[key] = merged?.Parent is null ? merged : merged.DeepClone();
                }
            }
        }

        return result;
    }
}
