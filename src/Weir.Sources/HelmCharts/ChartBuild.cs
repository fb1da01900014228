using Weir.Core.Conditions;
using Weir.Runtime.Controllers;

namespace Weir.Sources.HelmCharts;

/// <summary>
/// What a chart build produced, as source-controller's <c>chart.Build</c>: the chart's name and (possibly
/// metadata-suffixed) version, the package (null when the stored artifact already is this build), whether it was
/// packaged here or pulled as is, and the values files merged into it.
/// </summary>
public sealed record ChartBuild(string Name, string Version)
{
    public byte[]? Package { get; init; }

    public bool Packaged { get; init; }

    public IReadOnlyList<string> ValuesFiles { get; init; } = [];

    /// <summary>Flux's build summary, the Ready message of a HelmChart: <c>pulled 'podinfo' chart with version '6.5.3'</c>.</summary>
    public string Summary
    {
        get
        {
            var summary = $"{(Packaged ? "packaged" : "pulled")} '{Name}' chart with version '{Version}'";
            return ValuesFiles.Count > 0 ? $"{summary} and merged values files [{string.Join(' ', ValuesFiles)}]" : summary;
        }
    }

    public string Reason => Packaged ? ConditionReasons.ChartPackageSucceeded : ConditionReasons.ChartPullSucceeded;
}

/// <summary>source-controller's chart build error reasons: the condition reason, the message prefix, and how it is recorded.</summary>
public sealed record ChartBuildErrorReason(string Reason, string Summary, bool BuildFailure, bool Persistent)
{
    public static readonly ChartBuildErrorReason Reference = new("InvalidChartReference", "invalid chart reference", false, true);
    public static readonly ChartBuildErrorReason Pull = new("ChartPullError", "chart pull error", false, false);
    public static readonly ChartBuildErrorReason MetadataPatch = new("MetadataPatchError", "chart metadata patch error", true, true);
    public static readonly ChartBuildErrorReason ValuesFiles = new("ValuesFilesError", "values files merge error", true, true);
    public static readonly ChartBuildErrorReason DependencyBuild = new("DependencyBuildError", "dependency build error", true, false);
    public static readonly ChartBuildErrorReason Package = new("ChartPackageError", "chart package error", true, false);

    /// <summary>
    /// The failure a build error is: BuildFailed for errors in building, FetchFailed for errors in getting the chart;
    /// persistent ones (a reference, metadata or values files that cannot work) stall until the spec changes.
    /// </summary>
    public ReconcileFailure Failure(string message, Exception? inner = null) =>
        new(Reason, $"{Summary}: {message}", BuildFailure ? ConditionTypes.BuildFailed : ConditionTypes.FetchFailed, Persistent, inner);
}
