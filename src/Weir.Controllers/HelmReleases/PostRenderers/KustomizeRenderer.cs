using Weir.Core.Api.Helm;
using Weir.Helm.Rendering;
using Weir.Kustomize.Config;
using Weir.Kustomize.Transformers;
using ApiSelector = Weir.Core.Api.Meta.Selector;

namespace Weir.Controllers.HelmReleases.PostRenderers;

/// <summary>
/// <c>spec.postRenderers[].kustomize</c>: the rendered documents as the only resource of a kustomization with the
/// entry's <c>patches</c> (strategic merge or JSON 6902, with targets) and <c>images</c>, built as kustomize does —
/// patches first, then images — with Weir.Kustomize's transformers.
/// </summary>
public sealed class KustomizeRenderer(KustomizePostRenderer spec) : IPostRenderer
{
    public string Run(string manifests) => ResourceStream.Transform(manifests, Transformers());

    private IEnumerable<IResourceTransformer> Transformers()
    {
        foreach (var patch in spec.Patches ?? [])
        {
            // kustomize trims an inline patch before reading it.
            yield return new PatchTransformer((patch.PatchText ?? "").Trim(), Target(patch.Target), "kustomization.yaml");
        }

        var imageFields = TransformerConfig.Default().Images;
        foreach (var image in spec.Images ?? [])
        {
            yield return new ImageTagTransformer(new ImageSpec(image.Name ?? "", image.NewName ?? "", image.NewTag ?? "", image.Digest ?? ""), imageFields);
        }
    }

    private static Selector? Target(ApiSelector? target) => target is null
        ? null
        : new Selector(target.Group ?? "", target.Version ?? "", target.Kind ?? "", target.Name ?? "", target.Namespace ?? "",
            target.LabelSelector ?? "", target.AnnotationSelector ?? "");
}
