using Weir.Core.Objects;

namespace Weir.Runtime.Kube;

/// <summary>
/// A resource type as the REST API addresses it: group, version, plural and whether it is namespaced. The named
/// resources below are the ones Weir's code addresses by name; Weir's own kinds come from
/// <see cref="KindRegistry"/> (that is, from the CRD catalog), never from a second table.
/// </summary>
public sealed record KubeResource(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public GroupVersionKind Gvk => new(Group, Version, Kind);

    public static KubeResource OCIRepository => KindRegistry.Get(Core.Api.Source.OCIRepository.KindName).Resource;
    public static KubeResource GitRepository => KindRegistry.Get(Core.Api.Source.GitRepository.KindName).Resource;
    public static KubeResource Bucket => KindRegistry.Get(Core.Api.Source.Bucket.KindName).Resource;
    public static KubeResource HelmRepository => KindRegistry.Get(Core.Api.Source.HelmRepository.KindName).Resource;
    public static KubeResource HelmChart => KindRegistry.Get(Core.Api.Source.HelmChart.KindName).Resource;
    public static KubeResource ExternalArtifact => KindRegistry.Get(Core.Api.Source.ExternalArtifact.KindName).Resource;
    public static KubeResource ArtifactGenerator => KindRegistry.Get(Core.Api.SourceExtensions.ArtifactGenerator.KindName).Resource;
    public static KubeResource Receiver => KindRegistry.Get(Core.Api.Notification.Receiver.KindName).Resource;
    public static KubeResource Kustomization => KindRegistry.Get(Core.Api.Kustomize.Kustomization.KindName).Resource;
    public static KubeResource HelmRelease => KindRegistry.Get(Core.Api.Helm.HelmRelease.KindName).Resource;

    public static readonly KubeResource Namespace = new("", "v1", "namespaces", "Namespace", Namespaced: false);
    public static readonly KubeResource Event = new("", "v1", "events", "Event");
    public static readonly KubeResource Secret = new("", "v1", "secrets", "Secret");
    public static readonly KubeResource ConfigMap = new("", "v1", "configmaps", "ConfigMap");
    public static readonly KubeResource ServiceAccount = new("", "v1", "serviceaccounts", "ServiceAccount");
    public static readonly KubeResource Service = new("", "v1", "services", "Service");
    public static readonly KubeResource Pod = new("", "v1", "pods", "Pod");
    public static readonly KubeResource Deployment = new("apps", "v1", "deployments", "Deployment");
    public static readonly KubeResource Lease = new("coordination.k8s.io", "v1", "leases", "Lease");
    public static readonly KubeResource RoleBinding = new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding");
    public static readonly KubeResource ClusterRoleBinding = new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", Namespaced: false);
    public static readonly KubeResource CustomResourceDefinition =
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false);
}
