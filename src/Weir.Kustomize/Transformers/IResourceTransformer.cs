using Weir.Kustomize.Model;

namespace Weir.Kustomize.Transformers;

/// <summary>One kustomize feature: a filter over the accumulated resources.</summary>
public interface IResourceTransformer
{
    void Transform(ResourceMap resources);
}
