using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Kustomize.Config;
using Weir.Kustomize.Loading;
using Weir.Kustomize.Transformers;
using Weir.Kustomize.Yaml;

namespace Weir.Kustomize.Build;

/// <summary>
/// kustomize's built-in transformer plugin configs (as written under <c>transformers:</c>), turned into
/// transformers. Exec and container plugins are refused.
/// </summary>
public static class BuiltinPlugins
{
    public static IResourceTransformer Patch(JsonObject p, FileLoader loader, string source, Weir.Core.OpenApi.KubernetesOpenApi? schema = null)
    {
        var path = p["path"]?.ToString();
        // kustomize trims an inline patch (not one read from a file) before reading it.
        var text = p["patch"]?.ToString().Trim() ?? (path is not null ? loader.ReadText(path) : null)
            ?? throw new KustomizeException($"{source}: a patch entry needs 'path' or 'patch'");
        if (p["patch"] is not null && path is not null)
        {
            throw new KustomizeException($"{source}: patch and path can't be set at the same time");
        }

        var options = p["options"] as JsonObject;
        var target = p["target"] is JsonObject t ? Selector.FromJson(t) : null;
        return new PatchTransformer(text, target, path ?? source, Bool(options, "allowNameChange"), Bool(options, "allowKindChange")) { Schema = schema };
    }

    public static IResourceTransformer Transformer(JsonObject config, FileLoader loader, TransformerConfig tc, string source)
    {
        // Plugin configs are decoded like JSON in Go: field names match case-insensitively.
        foreach (var (key, value) in config.ToList())
        {
            if (key.Length > 0 && char.IsUpper(key[0]) && key is not ("Kind"))
            {
                config.Remove(key);
                config[char.ToLowerInvariant(key[0]) + key[1..]] = value;
            }
        }

        var kind = config.Kind();
        var apiVersion = config.ApiVersion();
        var specs = FieldSpec.ListFromJson(config["fieldSpecs"]);
        switch (kind)
        {
            case "PatchTransformer":
                return Patch(config, loader, source);
            case "PatchStrategicMergeTransformer":
                return new Composite(PatchStrategicMerge(config, loader, source));
            case "PatchJson6902Transformer":
                {
                    if (config["jsonOp"] is not null && config["path"] is not null)
                    {
                        throw new KustomizeException($"{source}: PatchJson6902Transformer: must specify one of path or jsonOp, not both");
                    }

                    var text = config["jsonOp"]?.ToString() ?? loader.ReadText(config["path"]?.ToString() ?? "");
                    return new PatchJson6902Transformer(text, Selector.FromJson(config["target"] as JsonObject), source);
                }

            case "NamespaceTransformer":
                {
                    var ns = (config["metadata"] as JsonObject)?["namespace"]?.ToString() ?? "";
                    return new NamespaceTransformer(ns, specs, Bool(config, "unsetOnly"), config["setRoleBindingSubjects"]?.ToString() ?? "");
                }

            case "PrefixSuffixTransformer" or "PrefixTransformer" or "SuffixTransformer":
                return new PrefixSuffixTransformer(config["prefix"]?.ToString() ?? "", config["suffix"]?.ToString() ?? "", specs);
            case "LabelTransformer":
                return new MapFieldTransformer(Pairs(config["labels"]), specs);
            case "AnnotationsTransformer":
                return new MapFieldTransformer(Pairs(config["annotations"]), specs);
            case "ImageTagTransformer":
                return new ImageTagTransformer(ImageSpec.FromJson(config["imageTag"] as JsonObject ?? []), specs);
            case "ReplicaCountTransformer":
                {
                    var replica = config["replica"] as JsonObject ?? [];
                    var count = Numbers.Integer(replica["count"]) ?? 0;
                    return new ReplicaCountTransformer(replica["name"]?.ToString() ?? "", count, specs);
                }

            case "ReplacementTransformer":
                {
                    var list = (config["replacements"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
                    return new ReplacementTransformer(LoadReplacements(list, loader, source), source);
                }

            case "ValueAddTransformer":
                {
                    var value = (config.Field("value")?.ToString() ?? "").Trim();
                    if (value.Length == 0)
                    {
                        value = Path.GetFileName(loader.Root.TrimEnd(Path.DirectorySeparatorChar));
                    }

                    var targets = (config.Field("targets") as JsonArray)?.OfType<JsonObject>()
                        .Select(t => new ValueAddTarget(
                            t.Field("selector") is JsonObject sel ? Selector.FromJson(sel) : null,
                            t.Field("fieldPath")?.ToString() ?? "",
                            (int)(Numbers.Integer(t.Field("filePathPosition")) ?? 0)))
                        .ToList() ?? [];
                    if (targets.Count == 0 || targets.Any(t => t.FieldPath.Length == 0))
                    {
                        throw new KustomizeException($"{source}: ValueAddTransformer must specify at least one target with a fieldPath");
                    }

                    if (targets.FirstOrDefault(t => t.FilePathPosition < 0) is { } negative)
                    {
                        throw new KustomizeException($"{source}: value of FilePathPosition ({negative.FilePathPosition}) cannot be negative");
                    }

                    return new ValueAddTransformer(value, targets);
                }

            case "HashTransformer":
                return new HashTransformer();
            default:
                throw new KustomizeException(
                    $"{source}: transformer plugin '{apiVersion}/{kind}' ({config.Name()}) is not supported: Weir runs only kustomize's built-in transformers (no exec or container plugins)");
        }
    }

    private static IEnumerable<IResourceTransformer> PatchStrategicMerge(JsonObject config, FileLoader loader, string source)
    {
        foreach (var path in (config["paths"] as JsonArray)?.Select(p => p?.ToString() ?? "") ?? [])
        {
            yield return new PatchTransformer(loader.ReadText(path), null, path);
        }

        if (config["patches"]?.ToString() is { Length: > 0 } inline)
        {
            yield return new PatchTransformer(inline, null, source);
        }
    }

    public static List<JsonObject> LoadReplacements(List<JsonObject> entries, FileLoader loader, string source)
    {
        var result = new List<JsonObject>();
        foreach (var e in entries)
        {
            if (e["path"]?.ToString() is { } path)
            {
                foreach (var doc in YamlText.ParseAll(loader.ReadText(path), path))
                {
                    switch (doc)
                    {
                        case JsonArray a:
                            result.AddRange(a.OfType<JsonObject>());
                            break;
                        case JsonObject o:
                            result.Add(o);
                            break;
                    }
                }
            }
            else
            {
                result.Add(e);
            }
        }

        return result;
    }

    private static Dictionary<string, string?> Pairs(JsonNode? node)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (node is JsonObject o)
        {
            foreach (var (k, v) in o)
            {
                result[k] = v is null ? null : KustomizationFile.FieldText(v);
            }
        }

        return result;
    }

    private static bool Bool(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private sealed class Composite(IEnumerable<IResourceTransformer> parts) : IResourceTransformer
    {
        public void Transform(Model.ResourceMap resources)
        {
            foreach (var p in parts)
            {
                p.Transform(resources);
            }
        }
    }
}
