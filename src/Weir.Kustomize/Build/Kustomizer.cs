using System.Text.Json.Nodes;
using Weir.Kustomize.Loading;
using Weir.Kustomize.Model;
using Weir.Kustomize.Transformers;
using Weir.Kustomize.Yaml;

namespace Weir.Kustomize.Build;

/// <summary>Options for one build.</summary>
/// <param name="LoadRestriction">Whether files outside a kustomization's directory may be read.</param>
/// <param name="AdjustRoot">Changes the root kustomization before the build (Flux's spec layer).</param>
/// <param name="GenerateWhenMissing">Build every manifest under the directory when it has no kustomization (Flux).</param>
/// <param name="Fence">No file or directory outside this one is read (Flux's secure file system over the artifact).</param>
public sealed record BuildOptions(
    LoadRestriction LoadRestriction = LoadRestriction.RootOnly,
    Action<JsonObject>? AdjustRoot = null,
    bool GenerateWhenMissing = false,
    string? Fence = null);

/// <summary>
/// Builds a kustomization directory the way <c>kubectl kustomize</c> (kustomize v5) does, in-process and offline.
/// </summary>
public static class Kustomizer
{
    public static IReadOnlyList<JsonObject> Build(string directory, BuildOptions? options = null)
    {
        options ??= new BuildOptions();
        var root = Path.GetFullPath(directory);
        var loader = new FileLoader(root, options.LoadRestriction, fence: options.Fence);
        if (!loader.IsDirectory("."))
        {
            throw new KustomizeException($"'{directory}' is not a directory");
        }

        var file = KustomizationFile.Find(loader) is { } name
            ? KustomizationFile.Load(loader, name)
            : options.GenerateWhenMissing || options.AdjustRoot is not null
                ? new KustomizationFile(Flux.FluxKustomization.Generate(loader), "kustomization.yaml")
                : null;
        if (file is null)
        {
            throw new KustomizeException(
                $"unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{root}'");
        }

        options.AdjustRoot?.Invoke(file.Doc);
        var target = new KustTarget(loader, file, root);
        var ra = target.AccumulateTarget();
        new HashTransformer().Transform(ra.Resources);
        new NameReferenceTransformer(ra.Config.NameReference).Transform(ra.Resources);
        new VarTransformer(ra.Vars, ra.Config.VarReference).Transform(ra.Resources);
        DropLocalConfig(ra.Resources);
        DropEmptyMetadataMaps(ra.Resources);
        Sort(ra.Resources, target.Kustomization.Doc["sortOptions"] as JsonObject);
        BuildMetadata.Apply(ra.Resources, target.Kustomization.Strings("buildMetadata"));
        return ra.Resources.Resources.Select(r => r.Object).ToList();
    }

    /// <summary>Builds and prints as <c>kubectl kustomize</c> does.</summary>
    public static string BuildYaml(string directory, BuildOptions? options = null) => YamlText.SerializeAll(Build(directory, options));

    internal static void Sort(ResourceMap resources, JsonObject? sortOptions)
    {
        var order = sortOptions?["order"]?.ToString() ?? "legacy";
        if (order == "fifo")
        {
            return;
        }

        if (order != "legacy")
        {
            throw new KustomizeException($"sortOptions.order must be 'legacy' or 'fifo', not '{order}'");
        }

        var legacy = sortOptions?["legacySortOptions"] as JsonObject;
        var first = (legacy?["orderFirst"] as JsonArray)?.Select(x => x?.ToString() ?? "").ToList();
        var last = (legacy?["orderLast"] as JsonArray)?.Select(x => x?.ToString() ?? "").ToList();
        new LegacyOrder(first, last).Transform(resources);
    }

    // kustomize round-trips metadata through typed ObjectMeta: null or empty label/annotation maps disappear.
    private static void DropEmptyMetadataMaps(ResourceMap resources)
    {
        foreach (var r in resources.Resources)
        {
            if (r.Object["metadata"] is JsonObject meta)
            {
                foreach (var field in new[] { "labels", "annotations" })
                {
                    if (meta.TryGetPropertyValue(field, out var value) && (value is null || value is JsonObject { Count: 0 }))
                    {
                        meta.Remove(field);
                    }
                }
            }
        }
    }

    // kustomize drops a resource carrying the annotation with any value but "false".
    private static void DropLocalConfig(ResourceMap resources)
    {
        foreach (var r in resources.Resources.ToList())
        {
            if (Weir.Core.Objects.KubeObject.Annotation(r.Object, "config.kubernetes.io/local-config") is { } local && local != "false")
            {
                resources.Remove(r);
            }
        }
    }
}
