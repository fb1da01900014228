using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Kustomize.Config;
using Weir.Kustomize.Generators;
using Weir.Kustomize.Loading;
using Weir.Kustomize.Model;
using Weir.Kustomize.Transformers;
using Weir.Kustomize.Yaml;

namespace Weir.Kustomize.Build;

/// <summary>
/// One kustomization directory being built: accumulates resources (files, nested kustomizations), runs
/// generators, components and transformers in kustomize's order.
/// </summary>
public sealed class KustTarget(FileLoader loader, KustomizationFile kustomization, string buildRoot)
{
    public KustomizationFile Kustomization => kustomization;

    public static KustTarget Open(FileLoader loader, string buildRoot)
    {
        var file = KustomizationFile.TryLoad(loader)
            ?? throw new KustomizeException(
                $"unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{loader.Root}'");
        return new KustTarget(loader, file, buildRoot);
    }

    private string Rel(string path) => Path.GetRelativePath(buildRoot, Path.Combine(loader.Root, path));

    private string KustPath => Rel(kustomization.FileName);

    public Accumulator AccumulateTarget() => AccumulateTarget(new Accumulator());

    private Weir.Core.OpenApi.KubernetesOpenApi? _schema;

    public Accumulator AccumulateTarget(Accumulator ra)
    {
        _schema = LoadSchema();
        AccumulateResources(ra, kustomization.Strings("resources"));
        foreach (var configPath in kustomization.Strings("configurations"))
        {
            foreach (var doc in YamlText.ParseAll(loader.ReadText(configPath), Rel(configPath)).OfType<JsonObject>())
            {
                ra.Config.Merge(TransformerConfig.FromJson(doc));
            }
        }

        foreach (var crd in kustomization.Strings("crds"))
        {
            CrdConfig.AddFrom(ra.Config, YamlText.ParseAll(loader.ReadText(crd), Rel(crd)).OfType<JsonObject>());
        }

        RunGenerators(ra);
        foreach (var component in kustomization.Strings("components"))
        {
            var sub = Open(loader.ForDirectory(component), buildRoot);
            if (sub.Kustomization.Kind != "Component")
            {
                throw new KustomizeException($"expected kind 'Component' for path '{Rel(component)}' but got '{sub.Kustomization.Kind}'");
            }

            var result = sub.AccumulateTarget(ra);
            if (!ReferenceEquals(result, ra))
            {
                ra.Merge(result);
            }
        }

        RunTransformers(ra);
        foreach (var v in kustomization.Objects("vars"))
        {
            ra.AddVar(VarDefinition.FromJson(v).BindTo(ra.Resources));
        }

        return ra;
    }

    /// <summary><c>openapi:</c> either a built-in version (only v1.21.2 is built in) or a custom schema file.</summary>
    private Weir.Core.OpenApi.KubernetesOpenApi? LoadSchema()
    {
        if (kustomization.Doc["openapi"] is not JsonObject openapi)
        {
            return null;
        }

        var version = openapi["version"]?.ToString();
        var path = openapi["path"]?.ToString();
        if (version is not null && path is not null)
        {
            throw new KustomizeException($"{KustPath}: openapi: specify either version or path, not both");
        }

        if (version is not null)
        {
            return version == "v1.21.2"
                ? null
                : throw new KustomizeException($"{KustPath}: the specified OpenAPI version '{version}' is not built in (only v1.21.2)");
        }

        if (path is null)
        {
            return null;
        }

        var doc = YamlText.ParseAll(loader.ReadText(path), Rel(path)).OfType<JsonObject>().FirstOrDefault()
            ?? throw new KustomizeException($"{Rel(path)}: the OpenAPI schema is not a map");
        return Weir.Core.OpenApi.KubernetesOpenApi.FromDocument(doc);
    }

    private void AccumulateResources(Accumulator ra, IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (FileLoader.IsRemote(path))
            {
                throw new KustomizeException($"{KustPath}: remote resource '{path}' is not supported: Weir builds kustomizations offline");
            }

            if (loader.IsFile(path))
            {
                var text = loader.ReadText(path);
                var objects = YamlText.ParseObjects(text, Rel(path));
                foreach (var obj in objects)
                {
                    CheckResource(obj, Rel(path));
                }

                ra.Resources.AppendAll(objects.Select(obj => new Resource(obj, Rel(path)) { BuildOrigin = BuildOrigin.FromFile(Rel(path)) }));
            }
            else if (loader.IsDirectory(path))
            {
                var sub = Open(loader.ForDirectory(path), buildRoot);
                if (sub.Kustomization.Kind == "Component")
                {
                    throw new KustomizeException($"expected kind != 'Component' for path '{Rel(path)}'");
                }

                ra.Merge(sub.AccumulateTarget());
            }
            else
            {
                throw new KustomizeException($"{KustPath}: accumulating resources: '{path}' must resolve to a file or a directory (in {loader.Root})");
            }
        }
    }

    private static void CheckResource(JsonObject obj, string source)
    {
        if (obj.Kind().Length == 0)
        {
            throw new KustomizeException($"{source}: missing kind in object {Abbreviate(obj)}");
        }

        if (obj.Name().Length == 0 && obj.Kind() is not ("Kustomization" or "Component"))
        {
            throw new KustomizeException($"{source}: missing metadata.name in object {obj.Kind()}");
        }

        // Labels and annotations are string maps: kustomize prints any other scalar as its text.
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (obj.Metadata()?[field] is JsonObject map)
            {
                foreach (var (k, v) in map.ToList())
                {
                    if (v is JsonValue value && !value.TryGetValue<string>(out _))
                    {
                        map[k] = KustomizationFile.FieldText(value);
                    }
                }
            }
        }
    }

    private static string Abbreviate(JsonObject obj)
    {
        var s = obj.ToJsonString();
        return s.Length > 120 ? s[..120] + "..." : s;
    }

    private void RunGenerators(Accumulator ra)
    {
        var options = kustomization.Doc["generatorOptions"] as JsonObject;
        foreach (var cm in kustomization.Objects("configMapGenerator"))
        {
            Absorb(ra, new ConfigMapSecretGenerator(false, GeneratorArgs.FromJson(cm, options), loader, KustPath).Generate(),
                BuildOrigin.Plugin(KustPath, "ConfigMapGenerator"));
        }

        foreach (var s in kustomization.Objects("secretGenerator"))
        {
            Absorb(ra, new ConfigMapSecretGenerator(true, GeneratorArgs.FromJson(s, options), loader, KustPath).Generate(),
                BuildOrigin.Plugin(KustPath, "SecretGenerator"));
        }

        foreach (var (config, configuredIn) in PluginConfigs("generators"))
        {
            var kind = config.Kind();
            if (kind == "IAMPolicyGenerator")
            {
                Absorb(ra, IamPolicyGenerator.Generate(config, configuredIn),
                    BuildOrigin.Plugin(configuredIn, kind, config.Name(), config.Namespace(), config.ApiVersion()));
                continue;
            }

            if (kind is not ("ConfigMapGenerator" or "SecretGenerator"))
            {
                throw new KustomizeException(
                    $"{KustPath}: generator plugin '{kind}' ({config.Name()}) is not supported: Weir runs only kustomize's built-in generators");
            }

            // The plugin config's own name is metadata.name; the generated object's name and namespace are top-level fields.
            var args = (JsonObject)config.DeepClone();
            if (args["name"] is null)
            {
                args["name"] = config.Name();
            }

            if (args["namespace"] is null && config.Namespace().Length > 0)
            {
                args["namespace"] = config.Namespace();
            }

            Absorb(ra, new ConfigMapSecretGenerator(kind == "SecretGenerator", GeneratorArgs.FromJson(args, null), loader, KustPath).Generate(),
                BuildOrigin.Plugin(configuredIn, kind, config.Name(), config.Namespace(), config.ApiVersion()));
        }
    }

    private static void Absorb(Accumulator ra, Resource generated, BuildOrigin origin)
    {
        generated.BuildOrigin = origin;
        ra.Resources.Absorb(generated);
    }

    private void RunTransformers(Accumulator ra)
    {
        foreach (var (kind, t) in BuiltinTransformers(ra.Config))
        {
            t.Transform(ra.Resources);
            RecordTransformation(ra, BuildOrigin.Plugin(KustPath, kind));
        }

        foreach (var (config, configuredIn) in PluginConfigs("transformers"))
        {
            BuiltinPlugins.Transformer(config, loader, ra.Config, KustPath).Transform(ra.Resources);
            RecordTransformation(ra, BuildOrigin.Plugin(configuredIn, config.Kind(), config.Name(), config.Namespace(), config.ApiVersion()));
        }
    }

    private static void RecordTransformation(Accumulator ra, BuildOrigin origin)
    {
        foreach (var r in ra.Resources.Resources)
        {
            r.Transformations.Add(origin);
        }
    }

    /// <summary>Entries of <c>generators:</c>/<c>transformers:</c>: inline configs, files of configs, or kustomizations producing them.</summary>
    private List<(JsonObject Config, string ConfiguredIn)> PluginConfigs(string field)
    {
        var result = new List<(JsonObject, string)>();
        foreach (var entry in kustomization.Strings(field))
        {
            if (entry.Contains('\n') || entry.TrimStart().StartsWith("apiVersion", StringComparison.Ordinal) || entry.Contains(": "))
            {
                result.AddRange(YamlText.ParseObjects(entry, KustPath).Select(o => (o, KustPath)));
                continue;
            }

            if (loader.IsFile(entry))
            {
                result.AddRange(YamlText.ParseObjects(loader.ReadText(entry), Rel(entry)).Select(o => (o, Rel(entry))));
            }
            else if (loader.IsDirectory(entry))
            {
                var sub = Open(loader.ForDirectory(entry), buildRoot);
                result.AddRange(sub.AccumulateTarget().Resources.Resources.Select(r => (r.Object, r.Origin)));
            }
            else
            {
                throw new KustomizeException($"{KustPath}: {field} entry '{entry}' must resolve to a file or a directory");
            }
        }

        return result;
    }

    private IEnumerable<(string Kind, IResourceTransformer Transformer)> BuiltinTransformers(TransformerConfig tc)
    {
        foreach (var entry in kustomization.Strings("patchesStrategicMerge"))
        {
            var isInline = entry.Contains('\n') || entry.Contains(": ");
            yield return ("PatchStrategicMergeTransformer", new PatchTransformer(isInline ? entry : loader.ReadText(entry), null, isInline ? KustPath : Rel(entry))
            {
                Schema = _schema,
            });
        }

        foreach (var p in kustomization.Objects("patches"))
        {
            yield return ("PatchTransformer", BuiltinPlugins.Patch(p, loader, KustPath, _schema));
        }

        var ns = kustomization.String("namespace");
        if (ns.Length > 0)
        {
            yield return ("NamespaceTransformer", new NamespaceTransformer(ns, tc.Namespace));
        }

        var prefix = kustomization.String("namePrefix");
        if (prefix.Length > 0)
        {
            yield return ("PrefixTransformer", new PrefixSuffixTransformer(prefix, "", tc.NamePrefix));
        }

        var suffix = kustomization.String("nameSuffix");
        if (suffix.Length > 0)
        {
            yield return ("SuffixTransformer", new PrefixSuffixTransformer("", suffix, tc.NameSuffix.Count > 0 ? tc.NameSuffix : tc.NamePrefix));
        }

        foreach (var label in kustomization.Objects("labels"))
        {
            var pairs = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (label["pairs"] is JsonObject po)
            {
                foreach (var (k, v) in po)
                {
                    pairs[k] = v is null ? null : KustomizationFile.FieldText(v);
                }
            }

            var specs = new List<FieldSpec>();
            if (label["includeSelectors"] is JsonValue sel && sel.TryGetValue<bool>(out var includeSelectors) && includeSelectors)
            {
                specs.AddRange(tc.CommonLabels);
            }
            else
            {
                specs.Add(new FieldSpec("", "", "", "metadata/labels", true));
                if (label["includeTemplates"] is JsonValue tpl && tpl.TryGetValue<bool>(out var includeTemplates) && includeTemplates)
                {
                    specs.AddRange(tc.TemplateLabels.Where(s => !specs.Contains(s)));
                }
            }

            specs.AddRange(FieldSpec.ListFromJson(label["fields"]));
            yield return ("LabelTransformer", new MapFieldTransformer(pairs, specs));
        }

        var commonLabels = kustomization.Map("commonLabels");
        if (commonLabels.Count > 0)
        {
            yield return ("LabelTransformer", new MapFieldTransformer(commonLabels, tc.CommonLabels));
        }

        var annotations = kustomization.Map("commonAnnotations");
        if (annotations.Count > 0)
        {
            yield return ("AnnotationsTransformer", new MapFieldTransformer(annotations, tc.CommonAnnotations));
        }

        foreach (var p in kustomization.Objects("patchesJson6902"))
        {
            var text = p["patch"]?.ToString() ?? loader.ReadText(p["path"]?.ToString() ?? throw new KustomizeException($"{KustPath}: patchesJson6902 entry has neither path nor patch"));
            yield return ("PatchJson6902Transformer", new PatchJson6902Transformer(text, Selector.FromJson(p["target"] as JsonObject), p["path"]?.ToString() is { } pp ? Rel(pp) : KustPath));
        }

        foreach (var r in kustomization.Objects("replicas"))
        {
            var count = Numbers.Integer(r["count"]) ?? 0;
            yield return ("ReplicaCountTransformer", new ReplicaCountTransformer(r["name"]?.ToString() ?? "", count, tc.Replicas));
        }

        foreach (var image in kustomization.Objects("images"))
        {
            yield return ("ImageTagTransformer", new ImageTagTransformer(ImageSpec.FromJson(image), tc.Images));
        }

        var replacements = kustomization.Objects("replacements");
        if (replacements.Count > 0)
        {
            yield return ("ReplacementTransformer", new ReplacementTransformer(BuiltinPlugins.LoadReplacements(replacements, loader, KustPath), KustPath));
        }
    }
}
