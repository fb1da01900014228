using Weir.Core.Api.Crds;

namespace Weir.Runtime.Kube;

/// <summary>One kind Weir serves: the resource that addresses it and its catalog entry (role, CLI names, schema).</summary>
public sealed record ServedKind(KubeResource Resource, CrdDescriptor Descriptor)
{
    public string Kind => Descriptor.Kind;

    public KindRole Role => Descriptor.Role;

    /// <summary>True for the kind's name, plural, singular or a short name, case-insensitively.</summary>
    public bool IsNamed(string name) =>
        string.Equals(Kind, name, StringComparison.OrdinalIgnoreCase)
        || string.Equals(Descriptor.Plural, name, StringComparison.OrdinalIgnoreCase)
        || Descriptor.ShortNames.Contains(name, StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// The one kind registry: Weir's kinds derived from <see cref="CrdCatalog"/> (add a kind there, nowhere else) and the
/// built-in Kubernetes kinds the CLI resolves without asking the API server. Controllers look up source kinds here
/// (a Kustomization's <c>sourceRef.kind</c>); the CLI builds its per-kind verbs from it.
/// </summary>
public static class KindRegistry
{
    private static readonly Dictionary<string, ServedKind> ByKind = CrdCatalog.Descriptors
        .Select(d => new ServedKind(new KubeResource(d.Group, d.Version, d.Plural, d.Kind), d))
        .ToDictionary(k => k.Kind, StringComparer.Ordinal);

    /// <summary>Weir's kinds in catalog order.</summary>
    public static IReadOnlyList<ServedKind> Served { get; } = [.. CrdCatalog.Descriptors.Select(d => ByKind[d.Kind])];

    /// <summary>Built-in kinds commonly found in manifests, resolvable without discovery.</summary>
    public static IReadOnlyList<KubeResource> BuiltIn { get; } =
    [
        KubeResource.Namespace,
        KubeResource.Service,
        KubeResource.ServiceAccount,
        KubeResource.Pod,
        new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim"),
        KubeResource.ConfigMap,
        KubeResource.Secret,
        KubeResource.Deployment,
        new("apps", "v1", "statefulsets", "StatefulSet"),
        new("apps", "v1", "daemonsets", "DaemonSet"),
        new("batch", "v1", "jobs", "Job"),
        new("batch", "v1", "cronjobs", "CronJob"),
        new("networking.k8s.io", "v1", "ingresses", "Ingress"),
        new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy"),
        new("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler"),
        new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget"),
        new("rbac.authorization.k8s.io", "v1", "roles", "Role"),
        KubeResource.RoleBinding,
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", Namespaced: false),
        KubeResource.ClusterRoleBinding,
        KubeResource.CustomResourceDefinition,
        KubeResource.Lease,
        KubeResource.Event,
    ];

    /// <summary>The served kind named exactly <paramref name="kind"/>; throws for a kind Weir does not serve.</summary>
    public static ServedKind Get(string kind) =>
        ByKind.TryGetValue(kind, out var served) ? served : throw new KeyNotFoundException($"Weir does not serve the kind '{kind}'");

    /// <summary>A served kind by its name, plural or short name (case-insensitive), or null.</summary>
    public static ServedKind? Find(string name) =>
        ByKind.TryGetValue(name, out var exact) ? exact : Served.FirstOrDefault(k => k.IsNamed(name));

    /// <summary>The source kind a <c>sourceRef.kind</c> names (exact Kind, as the API requires), or null.</summary>
    public static ServedKind? Source(string? kind) =>
        kind is not null && ByKind.TryGetValue(kind, out var served) && served.Role == KindRole.Source ? served : null;

    /// <summary>A served or built-in kind by name, plural or short name (case-insensitive), in a group when one is given.</summary>
    public static KubeResource? Resolve(string name, string? group = null)
    {
        if (Served.FirstOrDefault(k => k.IsNamed(name) && (group is null || k.Resource.Group == group)) is { } served)
        {
            return served.Resource;
        }

        return BuiltIn.FirstOrDefault(r => (string.Equals(r.Kind, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(r.Plural, name, StringComparison.OrdinalIgnoreCase)) && (group is null || r.Group == group));
    }
}
