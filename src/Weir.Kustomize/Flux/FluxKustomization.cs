using System.Text.Json.Nodes;
using Weir.Kustomize.Build;
using Weir.Kustomize.Loading;

namespace Weir.Kustomize.Flux;

/// <summary>
/// The fields of a Flux Kustomization's spec that change how its path is built. <c>commonMetadata</c> is not one of
/// them: Flux sets it on the built objects (<see cref="ManifestBuilder"/>), so it never reaches pod templates.
/// </summary>
public sealed record FluxBuildSpec(
    string TargetNamespace = "",
    string NamePrefix = "",
    string NameSuffix = "",
    JsonArray? Patches = null,
    JsonArray? Images = null,
    IReadOnlyList<string>? Components = null);

/// <summary>
/// Flux's layer over kustomize, as the Kustomization reconciler uses it: a kustomization is generated when the
/// path has none (every YAML manifest beneath it), then the spec's fields are applied on top of it.
/// </summary>
public static class FluxKustomization
{
    public static IReadOnlyList<JsonObject> Build(string path, FluxBuildSpec spec, BuildOptions? options = null)
    {
        options ??= new BuildOptions();
        return Kustomizer.Build(path, options with { AdjustRoot = doc => ApplySpec(doc, spec) });
    }

    /// <summary>
    /// A kustomization listing every Kubernetes manifest under the loader's root (Flux's generator); a
    /// sub-directory holding its own kustomization is listed as a whole instead of file by file. Files are read
    /// through the loader (its fence applies); linked directories are not walked, as Go's <c>filepath.Walk</c>.
    /// </summary>
    public static JsonObject Generate(FileLoader loader)
    {
        var resources = new JsonArray();
        Collect(loader, ".", resources);

        return new JsonObject
        {
            ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
            ["kind"] = "Kustomization",
            ["resources"] = resources,
        };
    }

    private static void Collect(FileLoader loader, string dir, JsonArray resources)
    {
        var real = loader.RealPath(dir);
        string Relative(string name) => dir == "." ? name : dir + "/" + name;
        foreach (var file in Directory.EnumerateFiles(real).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            if (Path.GetExtension(file) is not (".yaml" or ".yml") || !loader.IsFile(Relative(file!)))
            {
                continue;
            }

            // A file too large to read is listed all the same: the build then refuses it, naming the limit.
            if (new FileInfo(loader.RealPath(Relative(file!))).Length > FileLoader.MaxFileBytes || IsManifest(loader.ReadText(Relative(file!))))
            {
                resources.Add(Relative(file!));
            }
        }

        foreach (var sub in Directory.EnumerateDirectories(real).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(sub);
            if (name.StartsWith('.') || new DirectoryInfo(sub).LinkTarget is not null)
            {
                continue;
            }

            if (KustomizationFile.FileNames.Any(n => loader.IsFile(Relative(name) + "/" + n)))
            {
                resources.Add(Relative(name));
            }
            else
            {
                Collect(loader, Relative(name), resources);
            }
        }
    }

    private static void ApplySpec(JsonObject doc, FluxBuildSpec spec)
    {
        if (spec.TargetNamespace.Length > 0)
        {
            doc["namespace"] = spec.TargetNamespace;
        }

        if (spec.NamePrefix.Length > 0)
        {
            doc["namePrefix"] = spec.NamePrefix;
        }

        if (spec.NameSuffix.Length > 0)
        {
            doc["nameSuffix"] = spec.NameSuffix;
        }

        Append(doc, "patches", spec.Patches);
        Append(doc, "images", spec.Images);
        if (spec.Components is { Count: > 0 } components)
        {
            Append(doc, "components", new JsonArray(components.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()));
        }
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> pairs) =>
        new(pairs.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));

    private static void Append(JsonObject doc, string field, JsonArray? items)
    {
        if (items is null || items.Count == 0)
        {
            return;
        }

        var list = doc[field] as JsonArray ?? [];
        foreach (var item in items)
        {
            list.Add(item?.DeepClone());
        }

        doc[field] = list.Parent is null ? list : list.DeepClone();
    }

    private static bool IsManifest(string text) =>
        text.Contains("apiVersion", StringComparison.Ordinal) && text.Contains("kind", StringComparison.Ordinal);
}
