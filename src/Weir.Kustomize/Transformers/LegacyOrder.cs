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

        var sorted = resources.Resources.OrderBy(r => r, Comparer<Resource>.Create((a, b) => Compare(a.CurrentId, b.CurrentId, rank))).ToList();
        resources.Clear();
        foreach (var r in sorted)
        {
            resources.Append(r);
        }
    }

    private static int Compare(ResId a, ResId b, Dictionary<string, int> rank)
    {
        if (a.Gvk != b.Gvk)
        {
            var ra = rank.GetValueOrDefault(a.Gvk.Kind);
            var rb = rank.GetValueOrDefault(b.Gvk.Kind);
            return ra != rb ? ra.CompareTo(rb) : string.CompareOrdinal(GvkString(a), GvkString(b));
        }

        return string.CompareOrdinal(a.ToString(), b.ToString());
    }

    private static string GvkString(ResId id) =>
        $"{(id.Gvk.Group.Length == 0 ? "~G" : id.Gvk.Group)}_{(id.Gvk.Version.Length == 0 ? "~V" : id.Gvk.Version)}_{(id.Gvk.Kind.Length == 0 ? "~K" : id.Gvk.Kind)}";
}
