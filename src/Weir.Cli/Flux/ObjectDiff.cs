using System.Text;
using System.Text.Json.Nodes;

namespace Weir.Cli.Flux;

/// <summary>
/// Field-level differences between a live object and its dry-run result, ignoring what the server owns
/// (status, uid, resourceVersion, generation, creationTimestamp, managedFields); rendered as flux's diff blocks,
/// Secret values masked.
/// </summary>
public static class ObjectDiff
{
    private static readonly string[] ServerFields = ["managedFields", "resourceVersion", "uid", "generation", "creationTimestamp"];

    public sealed record Change(string Path, JsonNode? Before, JsonNode? After);

    public static List<Change> Compare(JsonObject live, JsonObject desired)
    {
        var changes = new List<Change>();
        var before = Normalize(live);
        var after = Normalize(desired);
        SecretMask.ForDiff(before, after);
        Walk("", before, after, changes);
        return changes;
    }

    public static string Render(IEnumerable<Change> changes)
    {
        var sb = new StringBuilder();
        foreach (var c in changes)
        {
            sb.Append('\n').Append(c.Path).Append('\n');
            if (c.Before is null)
            {
                sb.Append("  + one value added\n    + ").Append(Text(c.After)).Append('\n');
            }
            else if (c.After is null)
            {
                sb.Append("  - one value removed\n    - ").Append(Text(c.Before)).Append('\n');
            }
            else
            {
                sb.Append("  ± value change\n    - ").Append(Text(c.Before)).Append("\n    + ").Append(Text(c.After)).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "null";

    private static JsonObject Normalize(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var field in ServerFields)
            {
                metadata.Remove(field);
            }
        }

        return copy;
    }

    private static void Walk(string path, JsonNode? before, JsonNode? after, List<Change> changes)
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
            changes.Add(new Change(path, before?.DeepClone(), after?.DeepClone()));
        }
    }
}
