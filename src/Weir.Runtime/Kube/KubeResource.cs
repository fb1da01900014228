using Weir.Core.Objects;

namespace Weir.Runtime.Kube;

/// <summary>A resource type as the REST API addresses it: group, version, plural and whether it is namespaced.</summary>
public sealed record KubeResource(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public GroupVersionKind Gvk => new(Group, Version, Kind);

    public static readonly KubeResource OCIRepository = new("source.toolkit.fluxcd.io", "v1", "ocirepositories", "OCIRepository");
    public static readonly KubeResource GitRepository = new("source.toolkit.fluxcd.io", "v1", "gitrepositories", "GitRepository");
    public static readonly KubeResource Bucket = new("source.toolkit.fluxcd.io", "v1", "buckets", "Bucket");
    public static readonly KubeResource HelmRepository = new("source.toolkit.fluxcd.io", "v1", "helmrepositories", "HelmRepository");
    public static readonly KubeResource HelmChart = new("source.toolkit.fluxcd.io", "v1", "helmcharts", "HelmChart");
    public static readonly KubeResource ExternalArtifact = new("source.toolkit.fluxcd.io", "v1", "externalartifacts", "ExternalArtifact");
    public static readonly KubeResource ArtifactGenerator = new("source.extensions.fluxcd.io", "v1beta1", "artifactgenerators", "ArtifactGenerator");
    public static readonly KubeResource Receiver = new("notification.toolkit.fluxcd.io", "v1", "receivers", "Receiver");
    public static readonly KubeResource Kustomization = new("kustomize.toolkit.fluxcd.io", "v1", "kustomizations", "Kustomization");
    public static readonly KubeResource HelmRelease = new("helm.toolkit.fluxcd.io", "v2", "helmreleases", "HelmRelease");
    public static readonly KubeResource Lease = new("coordination.k8s.io", "v1", "leases", "Lease");
    public static readonly KubeResource Event = new("", "v1", "events", "Event");
    public static readonly KubeResource Secret = new("", "v1", "secrets", "Secret");
    public static readonly KubeResource ConfigMap = new("", "v1", "configmaps", "ConfigMap");
}
