using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Kustomize.Build;
using Weir.Kustomize.Flux;
using Weir.Kustomize.Loading;
using Weir.Runtime.Kube;

namespace Weir.Cli.Flux;

/// <summary>
/// Builds a local directory as a Kustomization would build it from its artifact: kustomize with Flux's layer from
/// the spec (targetNamespace, prefix/suffix, commonMetadata, patches, images, components), post-build
/// substitution (inline and, with a cluster, substituteFrom), and the ownership labels the controller adds.
/// </summary>
public static class KustomizationBuild
{
    public const string NameLabel = "kustomize.toolkit.fluxcd.io/name";
    public const string NamespaceLabel = "kustomize.toolkit.fluxcd.io/namespace";

    /// <summary>Builds <paramref name="path"/>; with <paramref name="strictSubstitute"/> (flux's <c>--strict-substitute</c>) an unset variable without default is an error.</summary>
    public static async Task<IReadOnlyList<JsonObject>> BuildAsync(
        JsonObject kustomization, string path, ResourceClient? cluster, CancellationToken token, bool strictSubstitute = false)
    {
        if (!Directory.Exists(path))
        {
            throw new CliException($"invalid resource path \"{path}\"");
        }

        var spec = kustomization["spec"] as JsonObject ?? [];
        var commonMetadata = spec["commonMetadata"];
        var buildSpec = new FluxBuildSpec(
            TargetNamespace: FluxKind.Str(spec["targetNamespace"]),
            NamePrefix: FluxKind.Str(spec["namePrefix"]),
            NameSuffix: FluxKind.Str(spec["nameSuffix"]),
            CommonLabels: Map(commonMetadata?["labels"]),
            CommonAnnotations: Map(commonMetadata?["annotations"]),
            Patches: spec["patches"]?.DeepClone() as JsonArray,
            Images: spec["images"]?.DeepClone() as JsonArray,
            Components: (spec["components"] as JsonArray)?.Select(FluxKind.Str).ToList());
        IReadOnlyList<JsonObject> objects;
        try
        {
            objects = FluxKustomization.Build(path, buildSpec, new BuildOptions(LoadRestriction.None, GenerateWhenMissing: true));
        }
        catch (Weir.Kustomize.KustomizeException e)
        {
            throw new CliException($"kustomize build failed: {e.Message}");
        }

        if (spec["postBuild"] is JsonObject postBuild)
        {
            var vars = await VariablesAsync(postBuild, kustomization.Namespace(), cluster, token);
            try
            {
                objects = PostBuildSubstitution.Apply(objects, vars, strictSubstitute, always: FluxKind.Str(postBuild["substituteStrategy"]) == "Always");
            }
            catch (Weir.Kustomize.KustomizeException e)
            {
                throw new CliException(e.Message);
            }
        }

        foreach (var obj in objects)
        {
            obj.SetLabel(NameLabel, kustomization.Name());
            obj.SetLabel(NamespaceLabel, kustomization.Namespace());
        }

        return objects;
    }

    private static async Task<Dictionary<string, string>> VariablesAsync(JsonObject postBuild, string ns, ResourceClient? cluster, CancellationToken token)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var reference in (postBuild["substituteFrom"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (cluster is null)
            {
                continue;
            }

            var isSecret = FluxKind.Str(reference["kind"]) == "Secret";
            var source = await cluster.GetAsync(isSecret ? KubeResource.Secret : KubeResource.ConfigMap, new ObjectKey(ns, FluxKind.Str(reference["name"])), token);
            if (source is null)
            {
                if (reference["optional"]?.GetValue<bool>() == true)
                {
                    continue;
                }

                throw new CliException($"substitute from '{FluxKind.Str(reference["kind"])}/{FluxKind.Str(reference["name"])}' error: not found");
            }

            foreach (var (key, value) in source["data"] as JsonObject ?? [])
            {
                vars[key] = isSecret ? Encoding.UTF8.GetString(Convert.FromBase64String(FluxKind.Str(value))) : FluxKind.Str(value);
            }
        }

        foreach (var (key, value) in postBuild["substitute"] as JsonObject ?? [])
        {
            vars[key] = FluxKind.Str(value);
        }

        return vars;
    }

    private static Dictionary<string, string>? Map(JsonNode? node) =>
        (node as JsonObject)?.ToDictionary(p => p.Key, p => FluxKind.Str(p.Value), StringComparer.Ordinal);
}
