using System.Text.Json.Nodes;
using Weir.Core.Api.Helm;
using Weir.Core.Api.Kustomize;
using Weir.Core.Api.Source;

namespace Weir.Core.Api.Crds;

/// <summary>The CustomResourceDefinitions of every kind Weir serves, sources first.</summary>
public static class CrdCatalog
{
    private static readonly string[] SourceCategories = ["all", "fluxcd", "fluxcd-sources"];
    private static readonly string[] ApplierCategories = ["all", "fluxcd", "fluxcd-appliers"];
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
        new(KustomizeApi.Group, KustomizeApi.Version, Kustomization.KindName, "kustomizations", ["ks"], ApplierCategories,
            ApiJsonContext.Default.KustomizationSpec, ApiJsonContext.Default.KustomizationStatus,
            "Manifests built with kustomize from a source and applied to the cluster.", []),
        new(HelmApi.Group, HelmApi.Version, HelmRelease.KindName, "helmreleases", ["hr"], ApplierCategories,
            ApiJsonContext.Default.HelmReleaseSpec, ApiJsonContext.Default.HelmReleaseStatus,
            "A Helm release kept installed and up to date.", []),
    ];

    private static readonly Lazy<IReadOnlyList<JsonObject>> Built = new(() => [.. Descriptors.Select(CrdBuilder.Build)]);

    /// <summary>Fresh copies of the seven CRDs (callers may modify them).</summary>
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
