using System.Text.Json.Nodes;
using Weir.Kustomize.Config;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Transformers;

/// <summary>Adds a prefix and/or suffix to names (metadata/name, and any other field specs given).</summary>
public sealed class PrefixSuffixTransformer(string prefix, string suffix, IReadOnlyList<FieldSpec> fieldSpecs) : IResourceTransformer
{
    // kustomize never renames these: their names are fixed by the API.
    private static readonly (string Group, string Version, string Kind)[] Skipped =
        [("apiextensions.k8s.io", "", "CustomResourceDefinition"), ("apiregistration.k8s.io", "", "APIService"), ("", "v1", "Namespace")];

    public void Transform(ResourceMap resources)
    {
        foreach (var r in resources.Resources)
        {
            var org = r.OriginalId;
            if (Skipped.Any(s => org.IsSelectedBy(s.Group, s.Version, s.Kind)))
            {
                continue;
            }

            foreach (var spec in fieldSpecs)
            {
                if (!spec.AppliesTo(org))
                {
                    continue;
                }

                if (spec.Path == "metadata/name")
                {
                    if (prefix.Length > 0)
                    {
                        r.NamePrefixes.Add(prefix);
                    }

                    if (suffix.Length > 0)
                    {
                        r.NameSuffixes.Add(suffix);
                    }

                    if (prefix.Length > 0 || suffix.Length > 0)
                    {
                        r.StorePreviousId();
                    }
                }

                FieldPath.Apply(r.Object, spec.Path, spec.Create, current =>
                    current is JsonValue v && v.TryGetValue<string>(out var s) ? JsonValue.Create(prefix + s + suffix) : current);
            }
        }
    }
}
