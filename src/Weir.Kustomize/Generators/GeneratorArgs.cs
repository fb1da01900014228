using System.Text.Json.Nodes;

namespace Weir.Kustomize.Generators;

/// <summary>One <c>configMapGenerator</c>/<c>secretGenerator</c> entry, with generatorOptions merged in.</summary>
public sealed record GeneratorArgs(
    string Name,
    string Namespace,
    string Behavior,
    List<string> Literals,
    List<string> Files,
    List<string> Envs,
    Dictionary<string, string> Labels,
    Dictionary<string, string> Annotations,
    bool DisableNameSuffixHash,
    bool Immutable,
    string Type)
{
    public static GeneratorArgs FromJson(JsonObject o, JsonObject? globalOptions)
    {
        var local = o["options"] as JsonObject;
        var labels = Map(globalOptions?["labels"]);
        foreach (var (k, v) in Map(local?["labels"]))
        {
            labels[k] = v;
        }

        var annotations = Map(globalOptions?["annotations"]);
        foreach (var (k, v) in Map(local?["annotations"]))
        {
            annotations[k] = v;
        }

        var envs = List(o["envs"]);
        if (Str(o, "env") is { Length: > 0 } env)
        {
            envs.Add(env);
        }

        return new GeneratorArgs(
            Str(o, "name"), Str(o, "namespace"), Str(o, "behavior"), List(o["literals"]), List(o["files"]), envs, labels, annotations,
            Bool(globalOptions, "disableNameSuffixHash") || Bool(local, "disableNameSuffixHash"),
            Bool(globalOptions, "immutable") || Bool(local, "immutable"),
            Str(o, "type"));
    }

    private static string Str(JsonObject? o, string key) => o?[key] is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : "";

    private static bool Bool(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static List<string> List(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : x?.ToJsonString() ?? "").ToList() : [];

    private static Dictionary<string, string> Map(JsonNode? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject o)
        {
            foreach (var (k, v) in o)
            {
                result[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "";
            }
        }

        return result;
    }
}
