using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Runtime.Apply;

/// <summary>
/// The order Flux applies objects in: cluster definitions (CRDs, Namespaces, ClusterRoles) first, then
/// <c>…Class</c> kinds, then everything else; within a stage, kinds in a fixed reconcile order, then group, kind,
/// namespace and name. Deletion runs the same order backwards.
/// </summary>
public static class ApplyOrder
{
    private static readonly string[] First =
    [
        "CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterClass", "RuntimeClass", "PriorityClass",
        "StorageClass", "VolumeSnapshotClass", "IngressClass", "GatewayClass", "ClusterRoleBinding", "ResourceQuota",
        "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Secret", "Service", "LimitRange", "Deployment",
        "StatefulSet", "CronJob", "PodDisruptionBudget",
    ];

    private static readonly string[] Last = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

    public static readonly IComparer<ObjectRef> Comparer = Comparer<ObjectRef>.Create(Compare);

    public static bool IsClusterDefinition(JsonObject obj) => IsCrd(obj)
        || (obj.Kind() == "Namespace" && obj.ApiVersion() == "v1")
        || (obj.Kind() == "ClusterRole" && obj.ApiVersion().StartsWith("rbac.authorization.k8s.io/", StringComparison.Ordinal));

    public static bool IsCrd(JsonObject obj) =>
        obj.Kind() == "CustomResourceDefinition" && obj.ApiVersion().StartsWith("apiextensions.k8s.io/", StringComparison.Ordinal);

    public static bool IsClassDefinition(JsonObject obj) => obj.Kind().EndsWith("Class", StringComparison.Ordinal);

    /// <summary>Splits objects into the three apply stages, each sorted.</summary>
    public static IReadOnlyList<List<JsonObject>> Stages(IEnumerable<JsonObject> objects)
    {
        List<JsonObject> definitions = [], classes = [], rest = [];
        foreach (var obj in objects)
        {
            (IsClusterDefinition(obj) ? definitions : IsClassDefinition(obj) ? classes : rest).Add(obj);
        }

        return [Sorted(definitions), Sorted(classes), Sorted(rest)];
    }

    public static List<JsonObject> Sorted(IEnumerable<JsonObject> objects) =>
        [.. objects.OrderBy(ObjectRef.Of, Comparer)];

    private static int Compare(ObjectRef a, ObjectRef b)
    {
        if (a.Group != b.Group || a.Kind != b.Kind)
        {
            var byIndex = Index(a.Kind).CompareTo(Index(b.Kind));
            if (byIndex != 0)
            {
                return byIndex;
            }

            var byGroup = string.CompareOrdinal(a.Group, b.Group);
            return byGroup != 0 ? byGroup : string.CompareOrdinal(a.Kind, b.Kind);
        }

        var byNamespace = string.CompareOrdinal(a.Namespace, b.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(a.Name, b.Name);
    }

    private static int Index(string kind)
    {
        var first = Array.IndexOf(First, kind);
        if (first >= 0)
        {
            return first - First.Length;
        }

        var last = Array.IndexOf(Last, kind);
        return last >= 0 ? last + 1 : 0;
    }
}
