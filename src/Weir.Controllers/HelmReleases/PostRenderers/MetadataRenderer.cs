using Weir.Helm.Rendering;
using Weir.Kustomize.Config;
using Weir.Kustomize.Transformers;

namespace Weir.Controllers.HelmReleases.PostRenderers;

/// <summary>
/// Sets labels and annotations in every document's <c>metadata</c> (created when missing), as kustomize's label and
/// annotation transformers do with only the <c>metadata/labels</c> and <c>metadata/annotations</c> fields. Flux runs it
/// for <c>spec.commonMetadata</c> and, last, for the origin labels.
/// </summary>
public sealed class MetadataRenderer(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations) : IPostRenderer
{
    public const string NameLabel = "helm.toolkit.fluxcd.io/name";
    public const string NamespaceLabel = "helm.toolkit.fluxcd.io/namespace";

    /// <summary>Flux's origin labels: <c>helm.toolkit.fluxcd.io/name</c> and <c>…/namespace</c> of the HelmRelease.</summary>
    public static MetadataRenderer OriginLabels(string ns, string name) =>
        new(new Dictionary<string, string> { [NameLabel] = name, [NamespaceLabel] = ns }, new Dictionary<string, string>());

    public string Run(string manifests)
    {
        var transformers = new List<IResourceTransformer>();
        if (labels.Count > 0)
        {
            transformers.Add(new MapFieldTransformer(Nullable(labels), [new FieldSpec("", "", "", "metadata/labels", true)]));
        }

        if (annotations.Count > 0)
        {
            transformers.Add(new MapFieldTransformer(Nullable(annotations), [new FieldSpec("", "", "", "metadata/annotations", true)]));
        }

        return transformers.Count == 0 ? manifests : ResourceStream.Transform(manifests, transformers);
    }

    private static Dictionary<string, string?> Nullable(IReadOnlyDictionary<string, string> map) =>
        map.ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal);
}
