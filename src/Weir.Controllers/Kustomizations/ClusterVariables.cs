using System.Text;
using System.Text.Json.Nodes;
using Weir.Kustomize.Flux;
using Weir.Runtime.Kube;

namespace Weir.Controllers.Kustomizations;

/// <summary>
/// <c>postBuild.substituteFrom</c> variables read from a cluster: the data of a ConfigMap, or of a Secret with its
/// values decoded. The controller and <c>weir build</c>/<c>weir diff</c> (when they reach a cluster) both use it.
/// </summary>
public static class ClusterVariables
{
    public static SubstituteVariables From(ResourceClient client) => async (kind, key, cancellationToken) =>
    {
        var isSecret = kind == "Secret";
        var obj = await client.GetAsync(isSecret ? KubeResource.Secret : KubeResource.ConfigMap, key, cancellationToken);
        if (obj is null)
        {
            return null;
        }

        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in obj["data"] as JsonObject ?? [])
        {
            var text = v?.GetValue<string>() ?? "";
            vars[k] = isSecret ? Encoding.UTF8.GetString(Convert.FromBase64String(text)) : text;
        }

        return vars;
    };
}
