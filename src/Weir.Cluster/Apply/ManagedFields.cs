using System.Text.Json.Nodes;

namespace Weir.Cluster.Apply;

/// <summary>One <c>metadata.managedFields</c> entry: who owns which fields, through which operation.</summary>
public sealed class ManagedEntry(string manager, string operation, string apiVersion, string? subresource, string? time, FieldSet fields)
{
    public string Manager { get; } = manager;
    public string Operation { get; } = operation;
    public string ApiVersion { get; set; } = apiVersion;
    public string? Subresource { get; } = subresource;
    public string? Time { get; set; } = time;
    public FieldSet Fields { get; set; } = fields;

    public bool IsApply => Operation == "Apply";

    /// <summary>The identity of an entry: appliers are one entry whatever the version they apply with.</summary>
    public string Id => Identity(Manager, Operation, ApiVersion, Subresource);

    public static string Identity(string manager, string operation, string apiVersion, string? subresource) =>
        operation == "Apply" ? $"{manager}\n{operation}\n\n{subresource}" : $"{manager}\n{operation}\n{apiVersion}\n{subresource}";

    /// <summary>How a conflict message names this manager, e.g. <c>"kubectl-client-side-apply" using v1</c>.</summary>
    public string Describe()
    {
        var text = Quote(Manager);
        if (!string.IsNullOrEmpty(Subresource))
        {
            text += $" with subresource {Quote(Subresource)}";
        }
        return IsApply ? text : $"{text} using {ApiVersion}";
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

/// <summary>Reads and writes <c>metadata.managedFields</c>.</summary>
public static class ManagedFields
{
    public static List<ManagedEntry> Decode(JsonNode? managedFields)
    {
        var entries = new List<ManagedEntry>();
        foreach (var e in (managedFields as JsonArray ?? []).OfType<JsonObject>())
        {
            var entry = new ManagedEntry(Str(e["manager"]), Str(e["operation"]) is { Length: > 0 } op ? op : "Update", Str(e["apiVersion"]),
                Str(e["subresource"]) is { Length: > 0 } sub ? sub : null, Str(e["time"]) is { Length: > 0 } time ? time : null,
                FieldSet.FromFieldsV1(e["fieldsV1"] as JsonObject));
            if (entries.FindIndex(x => x.Id == entry.Id) is var at && at >= 0)
            {
                entries[at].Fields = entries[at].Fields.Union(entry.Fields);
            }
            else
            {
                entries.Add(entry);
            }
        }
        return entries;
    }

    /// <summary>The entries sorted as the API server sorts them: by operation, time, manager, version, subresource.</summary>
    public static JsonArray Encode(IEnumerable<ManagedEntry> entries)
    {
        var array = new JsonArray();
        var sorted = entries.Where(e => !e.Fields.IsEmpty)
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time ?? "", StringComparer.Ordinal)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource ?? "", StringComparer.Ordinal);
        foreach (var e in sorted)
        {
            var o = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
            };
            if (e.Time is not null)
            {
                o["time"] = e.Time;
            }
            o["fieldsType"] = "FieldsV1";
            o["fieldsV1"] = e.Fields.ToFieldsV1();
            if (e.Subresource is not null)
            {
                o["subresource"] = e.Subresource;
            }
            array.Add(o);
        }
        return array;
    }

    private static string Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
