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
}
