using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Runtime.Apply;

/// <summary>One field that differs between an object in the cluster and its dry-run result; a null side is absent.</summary>
public sealed record FieldChange(string Path, JsonNode? Before, JsonNode? After);

/// <summary>
/// What counts as drift, in one place: an object drifted when its labels, its annotations or its body (metadata and
/// status set aside) differ from the dry-run result of applying it. The applier decides with
/// <see cref="HasDrifted"/>; <c>weir diff</c> lists the same differences field by field with <see cref="Changes"/>.
/// </summary>
public static class Drift
{
    /// <summary>True for a new object (no existing one, or a dry-run without resourceVersion) or any difference.</summary>
    public static bool HasDrifted(JsonObject? existing, JsonObject dryRun) =>
        existing is null || dryRun.ResourceVersion().Length == 0 || !JsonNode.DeepEquals(Compared(existing), Compared(dryRun));

    /// <summary>The differing fields as dotted paths (<c>spec.replicas</c>, <c>metadata.labels.app</c>), in path order.</summary>
    public static IReadOnlyList<FieldChange> Changes(JsonObject existing, JsonObject dryRun)
    {
        var changes = new List<FieldChange>();
        Walk("", Compared(existing), Compared(dryRun), changes);
        return changes;
    }

    /// <summary>The part of an object drift looks at: labels, annotations, and everything but metadata and status.</summary>
    private static JsonObject Compared(JsonObject obj)
    {
        var copy = new JsonObject();
        var metadata = new JsonObject();
        if (obj.Labels() is { Count: > 0 } labels)
        {
            metadata["labels"] = Map(labels);
        }

        if (obj.Annotations() is { Count: > 0 } annotations)
        {
            metadata["annotations"] = Map(annotations);
        }

        if (metadata.Count > 0)
        {
            copy["metadata"] = metadata;
        }

        foreach (var (key, value) in obj)
        {
            if (key is not ("metadata" or "status"))
            {
                copy[key] = value?.DeepClone();
            }
        }

        return copy;
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map)
        {
            obj[key] = value;
        }

        return obj;
    }

    private static void Walk(string path, JsonNode? before, JsonNode? after, List<FieldChange> changes)
    {
        if (before is JsonObject b && after is JsonObject a)
        {
            foreach (var key in b.Select(p => p.Key).Union(a.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                Walk(path.Length == 0 ? key : $"{path}.{key}", b[key], a[key], changes);
            }

            return;
        }

        if (before is JsonArray ba && after is JsonArray aa && ba.Count == aa.Count)
        {
            for (var i = 0; i < ba.Count; i++)
            {
                Walk($"{path}.{i}", ba[i], aa[i], changes);
            }

            return;
        }

        if (!JsonNode.DeepEquals(before, after))
        {
            changes.Add(new FieldChange(path, before?.DeepClone(), after?.DeepClone()));
        }
    }
}
