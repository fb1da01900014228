using System.Text.Json.Nodes;
using Weir.Kustomize.Config;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Transformers;

/// <summary>
/// Sets key/value pairs in the string maps named by field specs: labels (commonLabels, <c>labels:</c>) and
/// annotations (commonAnnotations).
/// </summary>
public sealed class MapFieldTransformer(IReadOnlyDictionary<string, string?> pairs, IReadOnlyList<FieldSpec> fieldSpecs) : IResourceTransformer
{
    public void Transform(ResourceMap resources)
    {
        if (pairs.Count == 0)
        {
            return;
        }

        foreach (var r in resources.Resources)
        {
            var id = r.OriginalId;
            var current = r.CurrentId;
            foreach (var spec in fieldSpecs)
            {
                if (!spec.AppliesTo(current) && !spec.AppliesTo(id))
                {
                    continue;
                }

                FieldPath.Apply(r.Object, spec.Path, spec.Create, node =>
                {
                    var map = node as JsonObject ?? (node is null ? new JsonObject() : null);
                    if (map is null)
                    {
                        throw new KustomizeException($"{r.CurrentId}: field '{spec.Path}' is not a map");
                    }

                    foreach (var (k, v) in pairs)
                    {
                        map[k] = v is null ? null : JsonValue.Create(v);
                    }

                    return map;
                });
            }
        }
    }
}
