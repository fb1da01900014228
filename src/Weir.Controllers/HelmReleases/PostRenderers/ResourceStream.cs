using Weir.Kustomize.Model;
using Weir.Kustomize.Transformers;
using Weir.Kustomize.Yaml;

namespace Weir.Controllers.HelmReleases.PostRenderers;

/// <summary>A post-rendered YAML stream read into kustomize's resource map, transformed in order, and written back.</summary>
internal static class ResourceStream
{
    /// <summary>The name the stream's resources carry in kustomize's messages (Flux's in-memory file).</summary>
    public const string Source = "helm-output.yaml";

    /// <exception cref="Weir.Kustomize.KustomizeException">The stream or a transformer is invalid.</exception>
    public static string Transform(string manifests, IEnumerable<IResourceTransformer> transformers)
    {
        var resources = new ResourceMap();
        foreach (var obj in YamlText.ParseObjects(manifests, Source))
        {
            resources.Append(new Resource(obj, Source));
        }

        foreach (var transformer in transformers)
        {
            transformer.Transform(resources);
        }

        return YamlText.SerializeAll(resources.Resources.Select(r => r.Object));
    }
}
