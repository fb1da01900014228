using System.Text.Json.Nodes;
using Weir.Core.Api.Helm;
using Weir.Core.Api.Kustomize;
using Weir.Core.Api.Notification;
using Weir.Core.Api.Source;
using Weir.Core.Api.SourceExtensions;

namespace Weir.Core.Api.Crds;

/// <summary>The CustomResourceDefinitions of every kind Weir serves, sources first.</summary>
public static class CrdCatalog
{
    private static readonly string[] SourceCategories = ["all", "fluxcd", "fluxcd-sources"];
    private static readonly string[] ApplierCategories = ["all", "fluxcd", "fluxcd-appliers"];
    private static readonly string[] NotificationCategories = ["all", "fluxcd", "fluxcd-notifications"];
    private static readonly WideColumn Url = new("URL", ".spec.url");

    public static IReadOnlyList<CrdDescriptor> Descriptors { get; } =
    [
        new(SourceApi.Group, SourceApi.Version, OCIRepository.KindName, "ocirepositories", ["ocirepo"], SourceCategories,
            ApiJsonContext.Default.OCIRepositorySpec, ApiJsonContext.Default.OCIRepositoryStatus,
            "An OCI artifact pulled from a container registry.", [Url]),
        new(SourceApi.Group, SourceApi.Version, GitRepository.KindName, "gitrepositories", ["gitrepo"], SourceCategories,
            ApiJsonContext.Default.GitRepositorySpec, ApiJsonContext.Default.GitRepositoryStatus,
            "A Git repository checked out at a revision.", [Url]),
        new(SourceApi.Group, SourceApi.Version, HelmRepository.KindName, "helmrepositories", ["helmrepo"], SourceCategories,
            ApiJsonContext.Default.HelmRepositorySpec, ApiJsonContext.Default.HelmRepositoryStatus,
            "A Helm chart repository (HTTP index or OCI registry).", [Url]),
        new(SourceApi.Group, SourceApi.Version, HelmChart.KindName, "helmcharts", ["hc"], SourceCategories,
            ApiJsonContext.Default.HelmChartSpec, ApiJsonContext.Default.HelmChartStatus,
            "A Helm chart fetched from a source and stored as a package.",
            [new("Chart", ".spec.chart"), new("Version", ".spec.version"),
             new("Source Kind", ".spec.sourceRef.kind"), new("Source Name", ".spec.sourceRef.name")]),
        new(SourceApi.Group, SourceApi.Version, Bucket.KindName, "buckets", [], SourceCategories,
            ApiJsonContext.Default.BucketSpec, ApiJsonContext.Default.BucketStatus,
            "Objects downloaded from a storage bucket.", [new("Endpoint", ".spec.endpoint")]),
        new(SourceApi.Group, SourceApi.Version, ExternalArtifact.KindName, "externalartifacts", ["ea"], SourceCategories,
            ApiJsonContext.Default.ExternalArtifactSpec, ApiJsonContext.Default.ExternalArtifactStatus,
            "An artifact published by another controller, consumed like a source.", [new("Source", ".spec.sourceRef.name")])
        {
            DefaultStatus = false,
        },
        new(SourceExtensionsApi.Group, SourceExtensionsApi.Version, ArtifactGenerator.KindName, "artifactgenerators", ["ag"], SourceCategories,
            ApiJsonContext.Default.ArtifactGeneratorSpec, ApiJsonContext.Default.ArtifactGeneratorStatus,
            "ExternalArtifacts composed from files of other sources.", [])
        {
            DefaultStatus = false,
        },
        new(KustomizeApi.Group, KustomizeApi.Version, Kustomization.KindName, "kustomizations", ["ks"], ApplierCategories,
            ApiJsonContext.Default.KustomizationSpec, ApiJsonContext.Default.KustomizationStatus,
            "Manifests built with kustomize from a source and applied to the cluster.", []),
        new(HelmApi.Group, HelmApi.Version, HelmRelease.KindName, "helmreleases", ["hr"], ApplierCategories,
            ApiJsonContext.Default.HelmReleaseSpec, ApiJsonContext.Default.HelmReleaseStatus,
            "A Helm release kept installed and up to date.", []),
        new(NotificationApi.Group, NotificationApi.StaticVersion, Alert.KindName, "alerts", [], NotificationCategories,
            ApiJsonContext.Default.AlertSpec, null, "Events of Flux objects forwarded to a Provider.", []),
        new(NotificationApi.Group, NotificationApi.StaticVersion, Provider.KindName, "providers", [], NotificationCategories,
            ApiJsonContext.Default.ProviderSpec, null, "A notification service events are delivered to.", []),
        new(NotificationApi.Group, NotificationApi.ReceiverVersion, Receiver.KindName, "receivers", [], NotificationCategories,
            ApiJsonContext.Default.ReceiverSpec, ApiJsonContext.Default.ReceiverStatus,
            "A webhook that requests reconciliation of Flux objects.", []),
    ];

    private static readonly Lazy<IReadOnlyList<JsonObject>> Built = new(() => [.. Descriptors.Select(CrdBuilder.Build)]);

    /// <summary>Fresh copies of every CRD (callers may modify them).</summary>
    public static IReadOnlyList<JsonObject> All() => [.. Built.Value.Select(c => (JsonObject)c.DeepClone())];

    /// <summary>A copy of the schema (<c>openAPIV3Schema</c>) of a kind, or null when Weir does not serve it.</summary>
    public static JsonObject? SchemaFor(string apiVersion, string kind)
    {
        for (var i = 0; i < Descriptors.Count; i++)
        {
            if (Descriptors[i].ApiVersion == apiVersion && Descriptors[i].Kind == kind)
            {
                return (JsonObject)Built.Value[i]["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.DeepClone();
            }
        }

        return null;
    }
}
