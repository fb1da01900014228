using System.Text.Json.Nodes;
using Weir.Kustomize.Model;
using Weir.Kustomize.Yaml;

namespace Weir.Kustomize.Transformers;

/// <summary>A <c>patchesJson6902:</c> entry: JSON 6902 operations (JSON or YAML) applied to the target.</summary>
public sealed class PatchJson6902Transformer(string patchText, Selector target, string source) : IResourceTransformer
{
    public void Transform(ResourceMap resources)
    {
        var docs = YamlText.ParseAllSigsYaml(patchText, source);
        if (docs.Count != 1 || docs[0] is not JsonArray ops)
        {
            throw new KustomizeException($"{source}: a JSON 6902 patch must be a list of operations");
        }

        var selected = target.Select(resources).ToList();
        if (selected.Count == 0)
        {
            return;
        }

        foreach (var r in selected)
        {
            PatchApplier.Json6902(r, (JsonArray)ops.DeepClone(), source);
        }
    }
}
