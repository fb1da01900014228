using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Cli.Flux;

/// <summary>
/// Finds the REST resource of a kind: Flux kinds and common built-in kinds from a table, custom kinds from the
/// cluster's CustomResourceDefinitions (their storage version unless an apiVersion is given).
/// </summary>
public sealed class KindResolver(ResourceClient client)
{
    public static readonly KubeResource Crds = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false);

    private static readonly KubeResource[] BuiltIn =
    [
        new("", "v1", "namespaces", "Namespace", Namespaced: false),
        new("", "v1", "services", "Service"),
        new("", "v1", "serviceaccounts", "ServiceAccount"),
        new("", "v1", "pods", "Pod"),
        new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim"),
        KubeResource.ConfigMap,
        KubeResource.Secret,
        new("apps", "v1", "deployments", "Deployment"),
        new("apps", "v1", "statefulsets", "StatefulSet"),
        new("apps", "v1", "daemonsets", "DaemonSet"),
        new("batch", "v1", "jobs", "Job"),
        new("batch", "v1", "cronjobs", "CronJob"),
        new("networking.k8s.io", "v1", "ingresses", "Ingress"),
        new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy"),
        new("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler"),
        new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget"),
        new("rbac.authorization.k8s.io", "v1", "roles", "Role"),
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"),
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", Namespaced: false),
        new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", Namespaced: false),
        Crds,
    ];

    /// <summary>The resource for a kind (case-insensitive; plural and flux short names accepted), or null.</summary>
    public async Task<KubeResource?> ResolveAsync(string kind, string? apiVersion = null, CancellationToken cancellationToken = default)
    {
        if (FluxKind.Find(kind) is { } flux && (apiVersion is null || apiVersion == flux.Resource.ApiVersion))
        {
            return flux.Resource;
        }

        var group = apiVersion is null ? null : apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
        var version = apiVersion?[(apiVersion.IndexOf('/') + 1)..];
        if (BuiltIn.FirstOrDefault(r => Matches(r, kind) && (group is null || r.Group == group)) is { } builtIn)
        {
            return version is null ? builtIn : builtIn with { Version = version };
        }

        var (crds, _) = await client.ListAsync(Crds, cancellationToken: cancellationToken);
        foreach (var crd in crds)
        {
            var names = crd["spec"]?["names"];
            var crdGroup = FluxKind.Str(crd["spec"]?["group"]);
            var resource = new KubeResource(crdGroup, StorageVersion(crd), FluxKind.Str(names?["plural"]), FluxKind.Str(names?["kind"]),
                FluxKind.Str(crd["spec"]?["scope"]) != "Cluster");
            if (Matches(resource, kind) && (group is null || group == crdGroup))
            {
                return version is null ? resource : resource with { Version = version };
            }
        }

        return null;
    }

    /// <summary>The resource for a <c>group_Kind</c> pair as Flux's inventory records it.</summary>
    public Task<KubeResource?> ResolveAsync(GroupVersionKind gvk, CancellationToken cancellationToken = default) =>
        ResolveAsync(gvk.Kind, gvk.Group.Length == 0 ? gvk.Version : $"{gvk.Group}/{gvk.Version}", cancellationToken);

    private static bool Matches(KubeResource r, string kind) =>
        string.Equals(r.Kind, kind, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Plural, kind, StringComparison.OrdinalIgnoreCase);

    private static string StorageVersion(JsonObject crd) =>
        (crd["spec"]?["versions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true) is { } v
            ? FluxKind.Str(v["name"])
            : "v1";
}
