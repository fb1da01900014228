using System.Text.Json.Nodes;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Config;

/// <summary>Where a transformer acts: a slash-separated field path in resources of a group/version/kind.</summary>
public sealed record FieldSpec(string Group, string Version, string Kind, string Path, bool Create)
{
    public bool AppliesTo(ResId id) => id.IsSelectedBy(Group, Version, Kind);

    /// <summary>Reads a field spec as written in a <c>configurations:</c> file or a plugin config.</summary>
    public static FieldSpec FromJson(JsonObject o) => new(
        Str(o, "group"), Str(o, "version"), Str(o, "kind"), Str(o, "path"),
        o["create"] is JsonValue c && c.TryGetValue<bool>(out var b) && b);

    public static List<FieldSpec> ListFromJson(JsonNode? node) =>
        node is JsonArray a ? a.OfType<JsonObject>().Select(FromJson).ToList() : [];

    private static string Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}

/// <summary>A kind that can be referred to by name, and the fields that hold such names.</summary>
public sealed record NameBackReference(string Group, string Version, string Kind, List<FieldSpec> Referrers);
