using System.Text.Json.Nodes;
using Weir.Kustomize.Config;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Transformers;

/// <summary>Sets the replica count of resources with the given name (current or original).</summary>
public sealed class ReplicaCountTransformer(string name, long count, IReadOnlyList<FieldSpec> fieldSpecs) : IResourceTransformer
{
    public void Transform(ResourceMap resources)
    {
        var found = false;
        foreach (var r in resources.Resources)
        {
            if (!r.AllIds.Any(i => i.Name == name))
            {
                continue;
            }

            foreach (var spec in fieldSpecs)
            {
                if (spec.AppliesTo(r.CurrentId))
                {
                    found = true;
                    FieldPath.Apply(r.Object, spec.Path, spec.Create, _ => JsonValue.Create(count));
                }
            }
        }

        if (!found)
        {
            throw new KustomizeException($"replicas: resource with name '{name}' does not match a config with the following GVK [Deployment ReplicationController ReplicaSet StatefulSet]");
        }
    }
}
