using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Runtime.Apply;

/// <summary>A field manager to take over: by name prefix (or exact name) and operation (<c>Apply</c>/<c>Update</c>).</summary>
public sealed record FieldManagerMatch(string Name, string Operation, bool Exact = false);

/// <summary>What is cleaned from objects already in the cluster before they are applied.</summary>
public sealed record ApplyCleanupOptions
{
    public IReadOnlyList<string> Annotations { get; init; } = [];

    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Their fields are handed to the applier's own <c>Apply</c> entry, so the next apply can remove them.</summary>
    public IReadOnlyList<FieldManagerMatch> FieldManagers { get; init; } = [];

    /// <summary>Objects carrying any of these (desired or in cluster) are left as they are.</summary>
    public IReadOnlyDictionary<string, string> Exclusions { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Flux's metadata cleanup before an apply: drops annotations and labels older tools left (e.g. kubectl's
/// last-applied-configuration) and takes over the fields that other managers (<c>kubectl edit</c>, <c>kubectl
/// apply</c>, …) set, by merging their <c>managedFields</c> entries into the applier's <c>Apply</c> entry. The
/// following server-side apply then owns those fields, so it resets them, or removes them when the manifests do not
/// set them: drift made with kubectl is undone.
/// </summary>
public static class ApplyCleanup
{
    /// <summary>The JSON patch to send, or null when nothing needs cleaning.</summary>
    public static JsonArray? Patch(JsonObject existing, ApplyCleanupOptions options, string owner)
    {
        var ops = new JsonArray();
        var metadata = existing.Metadata();
        foreach (var (field, keys) in new[] { ("annotations", options.Annotations), ("labels", options.Labels) })
        {
            var present = metadata?[field] as JsonObject;
            foreach (var key in keys.Where(k => present?.ContainsKey(k) == true))
            {
                ops.Add(new JsonObject { ["op"] = "remove", ["path"] = $"/metadata/{field}/{Escape(key)}" });
            }
        }

        if (TakeOver(metadata?["managedFields"] as JsonArray, options.FieldManagers, owner) is { } entries)
        {
            ops.Add(new JsonObject { ["op"] = "replace", ["path"] = "/metadata/managedFields", ["value"] = entries });
        }

        return ops.Count > 0 ? ops : null;
    }

    /// <summary>The managedFields with every matching entry merged into the owner's Apply entry, or null when none matches.</summary>
    internal static JsonArray? TakeOver(JsonArray? managedFields, IReadOnlyList<FieldManagerMatch> managers, string owner)
    {
        if (managedFields is null || managers.Count == 0)
        {
            return null;
        }

        var entries = managedFields.OfType<JsonObject>().Select(e => (JsonObject)e.DeepClone()).ToList();
        var own = entries.FirstOrDefault(e => Str(e, "manager") == owner && Str(e, "operation") == "Apply" && Str(e, "subresource").Length == 0);
        var kept = new List<JsonObject>();
        var edited = false;
        foreach (var entry in entries)
        {
            if (ReferenceEquals(entry, own))
            {
                continue;
            }

            if (!managers.Any(m => Matches(entry, m)))
            {
                kept.Add(entry);
                continue;
            }

            edited = true;
            if (own is null)
            {
                own = entry;
                own["manager"] = owner;
                own["operation"] = "Apply";
                continue;
            }

            own["fieldsV1"] = Union(own["fieldsV1"] as JsonObject ?? [], entry["fieldsV1"] as JsonObject ?? []);
        }

        if (!edited)
        {
            return null;
        }

        kept.Add(own!);
        return new JsonArray([.. kept]);
    }

    private static bool Matches(JsonObject entry, FieldManagerMatch manager)
    {
        if (Str(entry, "operation") != manager.Operation || Str(entry, "subresource").Length > 0)
        {
            return false;
        }

        var name = Str(entry, "manager");
        return manager.Exact ? name == manager.Name : name.StartsWith(manager.Name, StringComparison.Ordinal);
    }

    /// <summary>The union of two FieldsV1 sets (nested objects keyed by <c>f:</c>, <c>k:</c>, <c>v:</c>, <c>i:</c>, <c>.</c>).</summary>
    internal static JsonObject Union(JsonObject a, JsonObject b)
    {
        var result = (JsonObject)a.DeepClone();
        foreach (var (key, value) in b)
        {
            result[key] = result[key] is JsonObject mine && value is JsonObject theirs ? Union(mine, theirs) : value?.DeepClone();
        }

        return result;
    }

    private static string Str(JsonObject entry, string field) => entry[field]?.GetValue<string>() ?? "";

    private static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
