using Weir.Core.Api.Helm;
using Weir.Core.Api.Kustomize;
using Weir.Core.Api.Source;
using Weir.Core.Time;

namespace Weir.Core.Api.Defaults;

/// <summary>
/// The values Flux's controllers use when a field is empty, including those its CRDs do not default
/// (e.g. HelmRelease timeout 5m0s, maxHistory 5). Controllers read specs through these.
/// </summary>
public static class SpecDefaults
{
    public const string SourceTimeout = "60s";
    public const string HelmReleaseTimeout = "5m0s";
    public const int HelmReleaseMaxHistory = 5;

    public static OCIRepositorySpec WithDefaults(this OCIRepositorySpec spec) => spec with
    {
        Ref = spec.Ref ?? new OCIRepositoryRef { Tag = "latest" },
        LayerSelector = spec.LayerSelector is { } selector ? selector with { Operation = selector.Operation ?? "extract" } : null,
        Provider = spec.Provider ?? "generic",
        Timeout = spec.Timeout ?? SourceTimeout,
        Verify = spec.Verify is { } verify ? verify with { Provider = verify.Provider ?? "cosign" } : null,
    };

    public static GitRepositorySpec WithDefaults(this GitRepositorySpec spec) => spec with
    {
        Ref = spec.Ref ?? new GitRepositoryRef { Branch = "master" },
        Provider = spec.Provider ?? "generic",
        Timeout = spec.Timeout ?? SourceTimeout,
        Verify = spec.Verify is { } verify ? verify with { Mode = verify.Mode ?? "HEAD" } : null,
    };

    public static HelmRepositorySpec WithDefaults(this HelmRepositorySpec spec) => spec with
    {
        Type = spec.Type ?? "default",
        Provider = spec.Provider ?? "generic",
        Timeout = spec.Timeout ?? SourceTimeout,
    };

    public static BucketSpec WithDefaults(this BucketSpec spec) => spec with
    {
        Provider = spec.Provider ?? "generic",
        Timeout = spec.Timeout ?? SourceTimeout,
    };

    public static HelmChartSpec WithDefaults(this HelmChartSpec spec) => spec with
    {
        Version = string.IsNullOrEmpty(spec.Version) ? "*" : spec.Version,
        ReconcileStrategy = spec.ReconcileStrategy ?? "ChartVersion",
        Verify = spec.Verify is { } verify ? verify with { Provider = verify.Provider ?? "cosign" } : null,
    };

    public static KustomizationSpec WithDefaults(this KustomizationSpec spec) => spec with
    {
        RetryInterval = spec.RetryInterval ?? spec.Interval,
        Timeout = FluxDuration.Format(KustomizationTimeout(spec)),
        DeletionPolicy = spec.DeletionPolicy ?? "MirrorPrune",
        Force = spec.Force ?? false,
        Wait = spec.Wait ?? false,
        PostBuild = spec.PostBuild is { } postBuild
            ? postBuild with { SubstituteStrategy = postBuild.SubstituteStrategy ?? "WithVariables" }
            : null,
    };

    /// <summary>
    /// kustomize-controller's effective timeout: spec.timeout, else interval minus 30s, and never below 30s.
    /// </summary>
    public static TimeSpan KustomizationTimeout(KustomizationSpec spec)
    {
        var floor = TimeSpan.FromSeconds(30);
        var timeout = spec.Timeout is { } t && FluxDuration.TryParse(t, out var explicitTimeout)
            ? explicitTimeout
            : FluxDuration.TryParse(spec.Interval, out var interval) ? interval - floor : floor;
        return timeout < floor ? floor : timeout;
    }

    public static HelmReleaseSpec WithDefaults(this HelmReleaseSpec spec) => spec with
    {
        Timeout = spec.Timeout ?? HelmReleaseTimeout,
        MaxHistory = spec.MaxHistory ?? HelmReleaseMaxHistory,
        PersistentClient = spec.PersistentClient ?? true,
        Chart = spec.Chart is { Spec: { } template } chart
            ? chart with
            {
                Spec = template with
                {
                    Version = string.IsNullOrEmpty(template.Version) ? "*" : template.Version,
                    ReconcileStrategy = template.ReconcileStrategy ?? "ChartVersion",
                    Interval = template.Interval ?? spec.Interval,
                },
            }
            : spec.Chart,
        Uninstall = spec.Uninstall is { } uninstall
            ? uninstall with { DeletionPropagation = uninstall.DeletionPropagation ?? "background" }
            : null,
    };
}
