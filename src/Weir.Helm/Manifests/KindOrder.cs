namespace Weir.Helm.Manifests;

/// <summary>The order in which Helm installs and uninstalls kinds; kinds it does not list come last, alphabetically.</summary>
public static class KindOrder
{
    public static IReadOnlyList<string> Install { get; } =
    [
        "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
        "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume",
        "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
        "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
        "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob",
        "IngressClass", "Ingress", "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    ];

    public static IReadOnlyList<string> Uninstall { get; } =
    [
        "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService", "Ingress", "IngressClass",
        "Service", "CronJob", "Job", "StatefulSet", "HorizontalPodAutoscaler", "Deployment", "ReplicaSet",
        "ReplicationController", "Pod", "DaemonSet", "RoleBindingList", "RoleBinding", "RoleList", "Role",
        "ClusterRoleBindingList", "ClusterRoleBinding", "ClusterRoleList", "ClusterRole", "CustomResourceDefinition",
        "PersistentVolumeClaim", "PersistentVolume", "StorageClass", "ConfigMap", "SecretList", "Secret",
        "ServiceAccount", "PodDisruptionBudget", "PodSecurityPolicy", "LimitRange", "ResourceQuota", "NetworkPolicy",
        "Namespace", "PriorityClass",
    ];

    /// <summary>A stable sort of <paramref name="items"/> by kind in <paramref name="order"/>.</summary>
    public static List<T> Sort<T>(IEnumerable<T> items, Func<T, string> kind, IReadOnlyList<string> order)
    {
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < order.Count; i++)
        {
            rank[order[i]] = i;
        }

        // OrderBy is stable: equal keys keep their input order.
        return items
            .Select(item => (Item: item, Kind: kind(item)))
            .OrderBy(x => x, Comparer<(T Item, string Kind)>.Create((a, b) => Compare(a.Kind, b.Kind, rank)))
            .Select(x => x.Item)
            .ToList();
    }

    private static int Compare(string a, string b, Dictionary<string, int> rank)
    {
        var aKnown = rank.TryGetValue(a, out var ra);
        var bKnown = rank.TryGetValue(b, out var rb);
        if (!aKnown && !bKnown)
        {
            return string.CompareOrdinal(a, b);
        }

        if (!aKnown)
        {
            return 1;
        }

        return !bKnown ? -1 : ra.CompareTo(rb);
    }
}
