using Weir.Kustomize.Model;

namespace Weir.Kustomize.Transformers;

/// <summary>
/// kustomize's default ("legacy") output order: Namespaces, CRDs, ServiceAccounts, RBAC, ConfigMaps, ... first,
/// webhooks last, the rest by GVK; ties by namespace then name.
/// </summary>
public sealed class LegacyOrder(IReadOnlyList<string>? orderFirst = null, IReadOnlyList<string>? orderLast = null) : IResourceTransformer
{
    public static readonly string[] DefaultFirst =
    [
        "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount", "PodSecurityPolicy", "Role",
        "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange",
        "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
    ];

    public static readonly string[] DefaultLast = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

    public void Transform(ResourceMap resources)
    {
        var first = orderFirst ?? DefaultFirst;
        var last = orderLast ?? DefaultLast;
        var rank = new Dictionary<string, int>();
        for (var i = 0; i < first.Count; i++)
        {
            rank.TryAdd(first[i], i - first.Count);
        }

        for (var i = 0; i < last.Count; i++)
        {
            rank.TryAdd(last[i], i + 1);
        }

        var sorted = resources.Resources
            .Select(r => (Resource: r, Id: r.CurrentId))
            .Select(x => (x.Resource, Rank: rank.GetValueOrDefault(x.Id.Gvk.Kind), Gvk: GvkString(x.Id), Full: x.Id.ToString()))
            .OrderBy(x => x.Rank)
            .ThenBy(x => x.Gvk, StringComparer.Ordinal)
            .ThenBy(x => x.Full, StringComparer.Ordinal)
            .Select(x => x.Resource)
            .ToList();
        resources.Clear();
        resources.AppendAll(sorted);
    }

    private static string GvkString(ResId id) =>
        $"{(id.Gvk.Group.Length == 0 ? "~G" : id.Gvk.Group)}_{(id.Gvk.Version.Length == 0 ? "~V" : id.Gvk.Version)}_{(id.Gvk.Kind.Length == 0 ? "~K" : id.Gvk.Kind)}";
}
