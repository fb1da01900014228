using System.Globalization;
using System.Text.Json.Nodes;
using Weir.Cluster.Api;

namespace Weir.Cluster.Apply;

/// <summary>
/// Keeps <c>metadata.managedFields</c>: records Update operations (create, update, patch) and runs server-side
/// apply (merge, conflict detection, force, removal of fields an applier stopped applying).
/// </summary>
public static class FieldManager
{
    public const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    private static readonly string[] UntrackedMetadata =
        ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "managedFields"];

    /// <summary>Records an Update operation by <paramref name="manager"/> from <paramref name="live"/> (null on create) to <paramref name="obj"/>.</summary>
    public static void Update(ResourceType t, JsonObject? live, JsonObject obj, string manager, string? subresource)
    {
        var meta = (JsonObject)obj["metadata"]!;
        var given = subresource is null ? ManagedFields.Decode(meta["managedFields"]) : [];
        var entries = given.Count > 0 ? given : ManagedFields.Decode(live?["metadata"]?["managedFields"]);
        var type = TypeNode.For(t);
        var comparison = FieldSets.Compare(Tracked(t, live, subresource), Tracked(t, obj, subresource), type);
        var changed = comparison.Changed;
        var id = ManagedEntry.Identity(manager, "Update", t.GroupVersion, subresource);
        foreach (var e in entries)
        {
            e.Fields = e.Id == id ? e.Fields.Difference(comparison.Removed) : e.Fields.Difference(changed).Difference(comparison.Removed);
        }
        if (!changed.IsEmpty)
        {
            var self = entries.FirstOrDefault(e => e.Id == id);
            if (self is null)
            {
                self = new ManagedEntry(manager, "Update", t.GroupVersion, subresource, null, new FieldSet());
                entries.Add(self);
            }
            self.Fields = self.Fields.Union(changed);
            self.Time = Now();
        }
        SetEntries(meta, entries);
    }

    /// <summary>
    /// Server-side apply of <paramref name="config"/> by <paramref name="manager"/> onto <paramref name="live"/>: returns
    /// the merged object with its managed fields, or throws a 409 listing the conflicts unless <paramref name="force"/>.
    /// </summary>
    public static JsonObject Apply(ResourceType t, JsonObject live, JsonObject config, string manager, string? subresource, bool force)
    {
        config = WithoutNulls(config);
        if (config["metadata"] is JsonObject cm)
        {
            cm.Remove("managedFields");
        }
        var type = TypeNode.For(t);
        var entries = ManagedFields.Decode(live["metadata"]?["managedFields"]);
        var id = ManagedEntry.Identity(manager, "Apply", t.GroupVersion, subresource);
        var previous = entries.FirstOrDefault(e => e.Id == id);
        var applied = FieldSets.Of(Tracked(t, config, subresource), type);
        var merged = ApplyMerge.Merge(live, config, type);
        if (previous is null)
        {
            previous = new ManagedEntry(manager, "Apply", t.GroupVersion, subresource, null, new FieldSet());
            entries.Add(previous);
        }
        var lastSet = previous.Fields;
        previous.Fields = applied;
        previous.ApiVersion = t.GroupVersion;
        var owned = entries.Aggregate(new FieldSet(), (s, e) => s.Union(e.Fields));
        ApplyMerge.Prune(merged, lastSet.Difference(applied), owned, type, dropEmptyParents: !t.IsCustom);

        var comparison = FieldSets.Compare(Tracked(t, live, subresource), Tracked(t, merged, subresource), type);
        var changed = comparison.Changed;
        var conflicts = entries.Where(e => e.Id != id)
            .Select(e => (Entry: e, Fields: e.Fields.Intersection(changed)))
            .Where(c => !c.Fields.IsEmpty)
            .ToList();
        if (conflicts.Count > 0 && !force && !(manager == "kubectl" && AllowedByLastApplied(t, live, type, conflicts.Select(c => c.Fields))))
        {
            throw ConflictError(conflicts);
        }
        foreach (var e in entries.Where(e => e.Id != id))
        {
            e.Fields = e.Fields.Difference(changed).Difference(comparison.Removed);
        }
        if (!changed.IsEmpty || !comparison.Removed.IsEmpty || previous.Time is null)
        {
            previous.Time = Now();
        }
        var meta = (JsonObject)merged["metadata"]!;
        if (manager == "kubectl" && live["metadata"]?["annotations"]?[LastApplied] is not null)
        {
            ((JsonObject)(meta["annotations"] ??= new JsonObject()))[LastApplied] = LastAppliedOf(config);
        }
        SetEntries(meta, entries);
        return merged;
    }

    /// <summary>
    /// kubectl's move from client-side to server-side apply: conflicts are allowed on fields the last-applied
    /// annotation set and that still hold the value it set.
    /// </summary>
    private static bool AllowedByLastApplied(ResourceType t, JsonObject live, TypeNode type, IEnumerable<FieldSet> conflicts)
    {
        if (live["metadata"]?["annotations"]?[LastApplied] is not JsonValue v || !v.TryGetValue<string>(out var text))
        {
            return false;
        }
        JsonObject? lastApplied;
        try
        {
            lastApplied = JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
        if (lastApplied is null)
        {
            return false;
        }
        var tracked = Tracked(t, lastApplied, null);
        var comparison = FieldSets.Compare(tracked, Tracked(t, live, null), type);
        var allowed = FieldSets.Of(tracked, type).Difference(comparison.Modified);
        return conflicts.All(c => c.Difference(allowed).IsEmpty);
    }

    private static string LastAppliedOf(JsonObject config)
    {
        var copy = (JsonObject)config.DeepClone();
        if (copy["metadata"]?["annotations"] is JsonObject annotations)
        {
            annotations.Remove(LastApplied);
        }
        return Sorted(copy)!.ToJsonString(JsonText.Options) + "\n";
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };

    private static ApiException ConflictError(List<(ManagedEntry Entry, FieldSet Fields)> conflicts)
    {
        var ordered = conflicts.OrderBy(c => c.Entry.Manager, StringComparer.Ordinal).ThenBy(c => c.Entry.Operation, StringComparer.Ordinal)
            .ThenBy(c => c.Entry.ApiVersion, StringComparer.Ordinal).ToList();
        var list = ordered.SelectMany(c => c.Fields.Paths().Select(p => (c.Entry, Path: FieldSet.Format(p)))).ToList();
        string message;
        if (list.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {list[0].Entry.Describe()}: {list[0].Path}";
        }
        else
        {
            var lines = new List<string>();
            foreach (var (entry, fields) in ordered)
            {
                lines.Add($"conflicts with {entry.Describe()}:");
                lines.AddRange(fields.Paths().Select(p => "- " + FieldSet.Format(p)));
            }
            message = $"Apply failed with {list.Count} conflicts: {string.Join("\n", lines)}";
        }
        var causes = new JsonArray();
        foreach (var (entry, path) in list)
        {
            causes.Add(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = $"conflict with {entry.Describe()}", ["field"] = path });
        }
        return new ApiException(409, "Conflict", message, new JsonObject { ["causes"] = causes });
    }

    private static void SetEntries(JsonObject meta, List<ManagedEntry> entries)
    {
        var encoded = ManagedFields.Encode(entries);
        if (encoded.Count == 0)
        {
            meta.Remove("managedFields");
        }
        else
        {
            meta["managedFields"] = encoded;
        }
    }

    /// <summary>The part of an object whose fields have owners: no type meta, no server-kept metadata, status only through its subresource.</summary>
    private static JsonObject Tracked(ResourceType t, JsonObject? obj, string? subresource)
    {
        var copy = new JsonObject();
        if (obj is null)
        {
            return copy;
        }
        foreach (var (k, v) in obj)
        {
            if (k is "apiVersion" or "kind" || v is null)
            {
                continue;
            }
            if (subresource == "status" ? k != "status" : k == "status" && t.HasStatus && t.Kind != "CustomResourceDefinition")
            {
                continue;
            }
            if (k == "metadata" && v is JsonObject m)
            {
                var meta = new JsonObject();
                foreach (var (mk, mv) in m)
                {
                    if (!UntrackedMetadata.Contains(mk) && mv is not null)
                    {
                        meta[mk] = mv.DeepClone();
                    }
                }
                if (meta.Count > 0)
                {
                    copy[k] = meta;
                }
                continue;
            }
            copy[k] = v.DeepClone();
        }
        return copy;
    }

    private static JsonObject WithoutNulls(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in obj)
        {
            switch (v)
            {
                case null:
                    break;
                case JsonObject o:
                    copy[k] = WithoutNulls(o);
                    break;
                default:
                    copy[k] = v.DeepClone();
                    break;
            }
        }
        return copy;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
