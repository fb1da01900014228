using System.Text.Json.Nodes;
using Weir.Core.Patching;

namespace Weir.Runtime.Apply;

/// <summary>What <c>spec.ignore</c> does to drift detection and to the apply payload of an object already in the cluster.</summary>
public static class IgnoredFields
{
    /// <summary>A copy of <paramref name="obj"/> without the fields at <paramref name="paths"/> (absent ones are skipped).</summary>
    public static JsonObject Without(JsonObject obj, IReadOnlyList<string> paths)
    {
        var copy = (JsonObject)obj.DeepClone();
        foreach (var path in paths)
        {
            TryRemove(copy, path);
        }

        return copy;
    }

    /// <summary>
    /// The payload to apply so that ignored fields keep their cluster state. For each path whose cluster value
    /// differs from the dry-run result: when the cluster object lacks it, or another applier owns it, it is left out
    /// of the payload (ownership stays where it is); otherwise the cluster's value is written into the payload.
    /// </summary>
    public static JsonObject Resolve(JsonObject payload, JsonObject cluster, JsonObject dryRun, IReadOnlyList<string> paths, string fieldManager)
    {
        var result = (JsonObject)payload.DeepClone();
        foreach (var path in paths)
        {
            var inCluster = TryGet(cluster, path, out var clusterValue);
            var inDryRun = TryGet(dryRun, path, out var dryRunValue);
            if (inCluster == inDryRun && JsonNode.DeepEquals(clusterValue, dryRunValue))
            {
                continue;
            }

            if (!inCluster || FieldOwnership.OwnedByOtherApplier(cluster, path, fieldManager))
            {
                TryRemove(result, path);
            }
            else
            {
                Set(result, path, clusterValue);
            }
        }

        return result;
    }

    private static bool TryGet(JsonObject obj, string path, out JsonNode? value)
    {
        try
        {
            value = JsonPatch.Get(obj, path);
            return true;
        }
        catch (JsonPatchException)
        {
            value = null;
            return false;
        }
    }

    private static void TryRemove(JsonObject obj, string path)
    {
        if (TryGet(obj, path, out _))
        {
            JsonPatch.Apply(obj, [new JsonObject { ["op"] = "remove", ["path"] = path }]);
        }
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="path"/>, creating missing parent objects; skipped when a parent is a list without that item.</summary>
    private static void Set(JsonObject obj, string path, JsonNode? value)
    {
        var tokens = JsonPatch.ParsePointer(path);
        JsonNode node = obj;
        foreach (var token in tokens.Take(tokens.Count - 1))
        {
            JsonNode? next = node switch
            {
                JsonObject o => o[token] ?? (o[token] = new JsonObject()),
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
            if (next is null)
            {
                return;
            }

            node = next;
        }

        switch (node)
        {
            case JsonObject o:
                o[tokens[^1]] = value?.DeepClone();
                break;
            case JsonArray a when int.TryParse(tokens[^1], out var i) && i >= 0 && i < a.Count:
                a[i] = value?.DeepClone();
                break;
        }
    }
}
