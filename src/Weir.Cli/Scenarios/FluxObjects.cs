using Weir.Core.Api.Kustomize;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Source;

namespace Weir.Cli.Scenarios;

/// <summary>The OCIRepositories and Kustomizations scenarios create, with the settings a platform team would pick.</summary>
public static class FluxObjects
{
    public static OCIRepository Repository(ScenarioContext context, string name, string url, OCIRepositoryRef reference,
        string interval = "1m", string? secretName = null) => new()
        {
            Metadata = new ObjectMeta { Name = name, Namespace = context.Namespace },
            Spec = new OCIRepositorySpec
            {
                Url = url,
                Ref = reference,
                Interval = interval,
                Insecure = true,
                Timeout = "10s",
                SecretRef = secretName is null ? null : new LocalObjectReference { Name = secretName },
            },
        };

    /// <summary>A Kustomization applying an OCIRepository's artifact into the scenario's app namespace.</summary>
    public static Kustomization Kustomization(ScenarioContext context, string name, string source,
        string interval = "10m", string? timeout = null, bool wait = false, string? targetNamespace = "",
        IReadOnlyList<DependencyReference>? dependsOn = null) => new()
        {
            Metadata = new ObjectMeta { Name = name, Namespace = context.Namespace },
            Spec = new KustomizationSpec
            {
                SourceRef = new KustomizationSourceReference { Kind = OCIRepository.KindName, Name = source },
                Path = "./",
                Interval = interval,
                RetryInterval = "30s",
                Timeout = timeout,
                Prune = true,
                Wait = wait ? true : null,
                TargetNamespace = targetNamespace is "" ? context.AppNamespace : targetNamespace,
                DependsOn = dependsOn,
            },
        };

    public static OCIRepositoryRef Semver(string range) => new() { Semver = range };

    public static OCIRepositoryRef Tag(string tag) => new() { Tag = tag };
}
