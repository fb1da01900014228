using System.ComponentModel;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Schema;
using Weir.Core.Conditions;
using Weir.Core.Time;

namespace Weir.Core.Api.Source;

[Description("A Helm chart taken from a HelmRepository, GitRepository or Bucket and stored as a packaged chart.")]
public sealed record HelmChart
{
    public const string KindName = "HelmChart";

    public string? ApiVersion { get; init; } = SourceApi.ApiVersion;

    public string? Kind { get; init; } = KindName;

    public ObjectMeta? Metadata { get; init; }

    public HelmChartSpec? Spec { get; init; }

    public HelmChartStatus? Status { get; init; }
}

[Description("Which chart, from which source, and how often to check it.")]
[CelRule("!has(self.verify) || self.sourceRef.kind == 'HelmRepository'", "verify works only with a HelmRepository source")]
public sealed record HelmChartSpec
{
    [RequiredField, Description("Chart name in a HelmRepository, or chart path in a GitRepository or Bucket.")]
    public string? Chart { get; init; }

    [Default("*"), Description("Semantic version range of the chart; ignored for Git and Bucket sources.")]
    public string? Version { get; init; }

    [RequiredField, Description("The source holding the chart.")]
    public HelmChartSourceReference? SourceRef { get; init; }

    [RequiredField, Pattern(FluxDuration.Pattern), Description("How often to check the source.")]
    public string? Interval { get; init; }

    [Enum("ChartVersion", "Revision"), Default("ChartVersion"), Description("Build a new artifact when the chart version changes, or on every source revision.")]
    public string? ReconcileStrategy { get; init; }

    [Description("Values files merged in order into the chart's values.yaml.")]
    public IReadOnlyList<string>? ValuesFiles { get; init; }

    [Description("Skip values files that do not exist.")]
    public bool? IgnoreMissingValuesFiles { get; init; }

    [Description("Stop reconciling while true.")]
    public bool? Suspend { get; init; }

    [Description("Signature verification of OCI charts.")]
    public OCIVerification? Verify { get; init; }
}

[Description("Names a chart source in the same namespace.")]
public sealed record HelmChartSourceReference
{
    [Description("API version of the source.")]
    public string? ApiVersion { get; init; }

    [RequiredField, Enum("HelmRepository", "GitRepository", "Bucket"), Description("Kind of the source.")]
    public string? Kind { get; init; }

    [RequiredField, Description("Name of the source.")]
    public string? Name { get; init; }
}

[Description("Observed state of a HelmChart.")]
public sealed record HelmChartStatus
{
    [Description("Generation last reconciled.")]
    public long? ObservedGeneration { get; init; }

    [Description("Revision of the source artifact last used.")]
    public string? ObservedSourceArtifactRevision { get; init; }

    [Description("Chart name last resolved.")]
    public string? ObservedChartName { get; init; }

    [Description("Values files last merged.")]
    public IReadOnlyList<string>? ObservedValuesFiles { get; init; }

    [Description("Ready, Reconciling, Stalled and source-specific conditions.")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("Address of the latest artifact.")]
    public string? Url { get; init; }

    [Description("The stored chart package.")]
    public Artifact? Artifact { get; init; }

    [Description("Last reconcile.fluxcd.io/requestedAt value handled.")]
    public string? LastHandledReconcileAt { get; init; }
}
