using System.Text.Json.Nodes;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Generators;

/// <summary>kustomize's built-in IAMPolicyGenerator (GKE workload identity): a ServiceAccount bound to a Google service account.</summary>
public static class IamPolicyGenerator
{
    public static Resource Generate(JsonObject config, string source)
    {
        var cloud = config["cloud"]?.ToString() ?? "";
        if (cloud != "gke")
        {
            throw new KustomizeException($"{source}: IAMPolicyGenerator: cloud '{cloud}' is not supported (only gke)");
        }

        var k8s = config["kubernetesService"] as JsonObject ?? [];
        var gsa = config["serviceAccount"] as JsonObject ?? [];
        var metadata = new JsonObject
        {
            ["annotations"] = new JsonObject { ["iam.gke.io/gcp-service-account"] = $"{gsa["name"]}@{gsa["projectId"]}.iam.gserviceaccount.com" },
            ["name"] = k8s["name"]?.ToString() ?? "",
        };
        if (k8s["namespace"]?.ToString() is { Length: > 0 } ns)
        {
            metadata["namespace"] = ns;
        }

        return new Resource(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = metadata }, source);
    }
}
