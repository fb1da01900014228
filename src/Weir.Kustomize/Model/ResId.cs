using Weir.Core.Objects;

namespace Weir.Kustomize.Model;

/// <summary>A resource's identity within a build: group, version, kind, name and namespace.</summary>
public readonly record struct ResId(GroupVersionKind Gvk, string Name, string Namespace)
{
    public bool IsClusterScoped => ClusterScopedKinds.Contains(Gvk.Kind) && (Gvk.Kind != "Namespace" || Gvk.Group.Length == 0);

    /// <summary>The namespace, with an empty one read as <c>default</c> for namespaced kinds.</summary>
    public string EffectiveNamespace => IsClusterScoped ? "" : Namespace.Length == 0 ? "default" : Namespace;

    public bool IsNsEquals(ResId other) => EffectiveNamespace == other.EffectiveNamespace;

    /// <summary>True when the selector's non-empty group, version and kind equal this id's.</summary>
    public bool IsSelectedBy(string group, string version, string kind) =>
        (group.Length == 0 || group == Gvk.Group) && (version.Length == 0 || version == Gvk.Version) && (kind.Length == 0 || kind == Gvk.Kind);

    /// <summary>Same GVK, name and effective namespace.</summary>
    public bool Matches(ResId other) => Gvk == other.Gvk && Name == other.Name && IsNsEquals(other);

    public override string ToString()
    {
        var gvk = $"{(Gvk.Group.Length == 0 ? "~G" : Gvk.Group)}_{(Gvk.Version.Length == 0 ? "~V" : Gvk.Version)}_{(Gvk.Kind.Length == 0 ? "~K" : Gvk.Kind)}";
        return $"{gvk}|{(Namespace.Length == 0 ? "~X" : Namespace)}|{(Name.Length == 0 ? "~N" : Name)}";
    }

    /// <summary>Kinds the Kubernetes API serves without a namespace (kustomize's built-in list).</summary>
    public static readonly HashSet<string> ClusterScopedKinds =
    [
        "APIService", "CertificateSigningRequest", "ClusterRole", "ClusterRoleBinding", "ComponentStatus", "CSIDriver", "CSINode",
        "CustomResourceDefinition", "FlowSchema", "IngressClass", "MutatingWebhookConfiguration", "Namespace", "Node",
        "PersistentVolume", "PodSecurityPolicy", "PriorityClass", "PriorityLevelConfiguration", "RuntimeClass",
        "SelfSubjectAccessReview", "SelfSubjectRulesReview", "StorageClass", "SubjectAccessReview", "TokenReview",
        "ValidatingWebhookConfiguration", "VolumeAttachment",
    ];
}
