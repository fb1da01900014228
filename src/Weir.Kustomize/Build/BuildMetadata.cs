using Weir.Core.Objects;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Build;

/// <summary><c>buildMetadata:</c> origin annotations and the managed-by label.</summary>
internal static class BuildMetadata
{
    public static void Apply(ResourceMap resources, IReadOnlyList<string> options)
    {
        foreach (var r in resources.Resources)
        {
            if (options.Contains("managedByLabel"))
            {
                r.Object.SetLabel("app.kubernetes.io/managed-by", "kustomize-v5.5.0");
            }

            if (options.Contains("originAnnotations"))
            {
                r.Object.SetAnnotation("config.kubernetes.io/origin", $"path: {r.Origin}\n");
            }
        }
    }
}
