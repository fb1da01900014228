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
    private static readonly PrinterColumn Url = PrinterColumn.Field("URL", ".spec.url");

    /// <summary>
    /// The seeds' <c>kubectl get</c> layout, <c>NAME READY STATUS AGE</c>, for the kinds the seeds show (OCIRepository,
    /// Kustomization, HelmRelease) and those Flux's reference CRDs do not cover. Every other kind prints Flux's own
    /// columns, in Flux's order.
    /// </summary>
    private static readonly PrinterColumn[] Seeds = [PrinterColumn.Ready, PrinterColumn.Status, PrinterColumn.Age];

    /// <summary>Flux's <c>Age Ready Status</c> after the kind's own columns.</summary>
    private static PrinterColumn[] Flux(params PrinterColumn[] columns) => [.. columns, PrinterColumn.Age, PrinterColumn.Ready, PrinterColumn.Status];

    /// <summary>
    /// Every kind Weir serves, sources first. This is the kind registry: adding a kind is one entry here (plus its
    /// record in <see cref="ApiJsonContext"/>); the API server, <c>weir install</c>, the controllers' source lookup
    /// and the CLI's kind tables (<c>Weir.Runtime.Kube.KindRegistry</c>) all read it.
    /// </summary>
    public static IReadOnlyList<CrdDescriptor> Descriptors { get; } =
    [
        new(SourceApi.Group, SourceApi.Version, OCIRepository.KindName, "ocirepositories", ["ocirepo"], KindRole.Source,
            ApiJsonContext.Default.OCIRepository, ApiJsonContext.Default.OCIRepositorySpec, ApiJsonContext.Default.OCIRepositoryStatus,
            "An OCI artifact pulled from a container registry.", [.. Seeds, Url with { Priority = 1 }], new("oci", GetAllOrder: 1, StatsOrder: 2)),
        new(SourceApi.Group, SourceApi.Version, GitRepository.KindName, "gitrepositories", ["gitrepo"], KindRole.Source,
            ApiJsonContext.Default.GitRepository, ApiJsonContext.Default.GitRepositorySpec, ApiJsonContext.Default.GitRepositoryStatus,
            "A Git repository checked out at a revision.", Flux(Url), new("git", GetAllOrder: 3, StatsOrder: 1)),
        new(SourceApi.Group, SourceApi.Version, HelmRepository.KindName, "helmrepositories", ["helmrepo"], KindRole.Source,
            ApiJsonContext.Default.HelmRepository, ApiJsonContext.Default.HelmRepositorySpec, ApiJsonContext.Default.HelmRepositoryStatus,
            "A Helm chart repository (HTTP index or OCI registry).", Flux(Url), new("helm", GetAllOrder: 4, StatsOrder: 3)),
        new(SourceApi.Group, SourceApi.Version, HelmChart.KindName, "helmcharts", ["hc"], KindRole.Source,
            ApiJsonContext.Default.HelmChart, ApiJsonContext.Default.HelmChartSpec, ApiJsonContext.Default.HelmChartStatus,
            "A Helm chart fetched from a source and stored as a package.",
            Flux(PrinterColumn.Field("Chart", ".spec.chart"), PrinterColumn.Field("Version", ".spec.version"),
                PrinterColumn.Field("Source Kind", ".spec.sourceRef.kind"), PrinterColumn.Field("Source Name", ".spec.sourceRef.name")),
            new("chart", GetAllOrder: 5, StatsOrder: 4)),
        new(SourceApi.Group, SourceApi.Version, Bucket.KindName, "buckets", [], KindRole.Source,
            ApiJsonContext.Default.Bucket, ApiJsonContext.Default.BucketSpec, ApiJsonContext.Default.BucketStatus,
            "Objects downloaded from a storage bucket.", Flux(PrinterColumn.Field("Endpoint", ".spec.endpoint")), new("bucket", GetAllOrder: 2, StatsOrder: 5)),
        new(SourceApi.Group, SourceApi.Version, ExternalArtifact.KindName, "externalartifacts", ["ea"], KindRole.Source,
            ApiJsonContext.Default.ExternalArtifact, ApiJsonContext.Default.ExternalArtifactSpec, ApiJsonContext.Default.ExternalArtifactStatus,
            "An artifact published by another controller, consumed like a source.",
            [PrinterColumn.Age, PrinterColumn.Ready, PrinterColumn.Status, PrinterColumn.Field("Source", ".spec.sourceRef.name")], null)
        {
            DefaultStatus = false,
        },
        new(SourceExtensionsApi.Group, SourceExtensionsApi.Version, ArtifactGenerator.KindName, "artifactgenerators", ["ag"], KindRole.Generator,
            ApiJsonContext.Default.ArtifactGenerator, ApiJsonContext.Default.ArtifactGeneratorSpec, ApiJsonContext.Default.ArtifactGeneratorStatus,
            "ExternalArtifacts composed from files of other sources.", Seeds, null)
        {
            DefaultStatus = false,
        },
        new(KustomizeApi.Group, KustomizeApi.Version, Kustomization.KindName, "kustomizations", ["ks"], KindRole.Applier,
            ApiJsonContext.Default.Kustomization, ApiJsonContext.Default.KustomizationSpec, ApiJsonContext.Default.KustomizationStatus,
            "Manifests built with kustomize from a source and applied to the cluster.", Seeds, new("kustomization", GetAllOrder: 21, StatsOrder: 21)),
        new(HelmApi.Group, HelmApi.Version, HelmRelease.KindName, "helmreleases", ["hr"], KindRole.Applier,
            ApiJsonContext.Default.HelmRelease, ApiJsonContext.Default.HelmReleaseSpec, ApiJsonContext.Default.HelmReleaseStatus,
            "A Helm release kept installed and up to date.", Seeds, new("helmrelease", GetAllOrder: 20, StatsOrder: 22)),
        new(NotificationApi.Group, NotificationApi.StaticVersion, Alert.KindName, "alerts", [], KindRole.Notification,
            ApiJsonContext.Default.Alert, ApiJsonContext.Default.AlertSpec, null,
            "Events of Flux objects forwarded to a Provider.", [PrinterColumn.Age], null),
        new(NotificationApi.Group, NotificationApi.StaticVersion, Provider.KindName, "providers", [], KindRole.Notification,
            ApiJsonContext.Default.Provider, ApiJsonContext.Default.ProviderSpec, null,
            "A notification service events are delivered to.", [PrinterColumn.Age], null),
        new(NotificationApi.Group, NotificationApi.ReceiverVersion, Receiver.KindName, "receivers", [], KindRole.Notification,
            ApiJsonContext.Default.Receiver, ApiJsonContext.Default.ReceiverSpec, ApiJsonContext.Default.ReceiverStatus,
            "A webhook that requests reconciliation of Flux objects.", Seeds, null),
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
