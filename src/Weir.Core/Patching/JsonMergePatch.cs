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

    /// <summary>
    /// The merge patch that turns <paramref name="from"/> into <paramref name="to"/>: changed members with their new
    /// value (objects diffed recursively), removed members as null; empty when they are equal.
    /// </summary>
    public static JsonObject Create(JsonObject from, JsonObject to)
    {
        var patch = new JsonObject();
        foreach (var (key, value) in to)
        {
            if (!from.TryGetPropertyValue(key, out var old))
            {
                patch[key] = value?.DeepClone();
            }
            else if (old is JsonObject oldObject && value is JsonObject newObject)
            {
                if (Create(oldObject, newObject) is { Count: > 0 } nested)
                {
                    patch[key] = nested;
                }
            }
            else if (!JsonNode.DeepEquals(old, value))
            {
                patch[key] = value?.DeepClone();
            }
        }

        foreach (var (key, _) in from)
        {
            if (!to.ContainsKey(key))
            {
                patch[key] = null;
            }
        }

        return patch;
    }
}
