namespace Weir.Core.Conditions;

/// <summary>
/// How a kind's Ready condition is summarised from the conditions its reconciler owns (Flux's
/// <c>summarize.Conditions</c>): <see cref="Priority"/> orders the conditions that contribute, earliest first;
/// <see cref="NegativePolarity"/> names the abnormal-true ones among them; a False condition of
/// <see cref="BiPolarity"/> always makes Ready False.
/// </summary>
public sealed record ReadySummary(IReadOnlyList<string> Priority, IReadOnlySet<string> NegativePolarity)
{
    public IReadOnlyList<string> BiPolarity { get; init; } = [];

    /// <summary>The summary of source kinds (source-controller's OCIRepository, GitRepository, Bucket, Helm sources).</summary>
    public static ReadySummary Source { get; } = new(
        [
            ConditionTypes.StorageOperationFailed, ConditionTypes.FetchFailed, ConditionTypes.ArtifactOutdated,
            ConditionTypes.ArtifactInStorage, ConditionTypes.SourceVerified, ConditionTypes.Stalled, ConditionTypes.Reconciling,
        ],
        new HashSet<string>
        {
            ConditionTypes.StorageOperationFailed, ConditionTypes.FetchFailed, ConditionTypes.ArtifactOutdated,
            ConditionTypes.Stalled, ConditionTypes.Reconciling,
        })
    {
        BiPolarity = [ConditionTypes.SourceVerified],
    };

    /// <summary>The GitRepository's summary: the source one with <c>IncludeUnavailable</c> after <c>FetchFailed</c> (source-controller's).</summary>
    public static ReadySummary GitRepository { get; } = Source with
    {
        Priority = [.. Source.Priority.Take(2), ConditionTypes.IncludeUnavailable, .. Source.Priority.Skip(2)],
        NegativePolarity = new HashSet<string>(Source.NegativePolarity) { ConditionTypes.IncludeUnavailable },
    };

    /// <summary>The HelmChart's summary: the source one with <c>BuildFailed</c> after <c>FetchFailed</c> (source-controller's).</summary>
    public static ReadySummary HelmChart { get; } = Source with
    {
        Priority = [.. Source.Priority.Take(2), ConditionTypes.BuildFailed, .. Source.Priority.Skip(2)],
        NegativePolarity = new HashSet<string>(Source.NegativePolarity) { ConditionTypes.BuildFailed },
    };
}
