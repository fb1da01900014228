using Weir.Core.Objects;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Build;

/// <summary><c>buildMetadata:</c> origin and transformation annotations, and the managed-by label.</summary>
internal static class BuildMetadata
{
    public const string OriginAnnotation = "config.kubernetes.io/origin";
    public const string TransformationsAnnotation = "alpha.config.kubernetes.io/transformations";

    public static void Apply(ResourceMap resources, IReadOnlyList<string> options)
    {
        foreach (var r in resources.Resources)
        {
            if (options.Contains("managedByLabel"))
            {
                r.Object.SetLabel("app.kubernetes.io/managed-by", "kustomize-(devel)");
            }

            if (options.Contains("originAnnotations") && r.BuildOrigin is { } origin)
            {
                r.Object.SetAnnotation(OriginAnnotation, origin.ToYaml());
            }

            if (options.Contains("transformerAnnotations") && r.Transformations.Count > 0)
            {
                r.Object.SetAnnotation(TransformationsAnnotation, string.Concat(r.Transformations.Select(t => t.ToYaml("- ", "  "))));
            }
        }
    }
}
