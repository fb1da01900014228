namespace Weir.Runtime.Controllers;

/// <summary>
/// A reconcile step's failure, carrying the condition it becomes: the reason (<c>OCIArtifactPullFailed</c>,
/// <c>BuildFailed</c>, …), the message users read in <c>kubectl describe</c>, the condition type to set
/// (e.g. <c>FetchFailed</c>) and whether retrying cannot help (<c>Stalled</c>). Steps throw it; <see cref="ReconcileRunner{TRun}"/>
/// turns it into conditions, one Warning event and the requeue, in one place.
/// </summary>
public sealed class ReconcileFailure(string reason, string message, string? conditionType = null, bool stalled = false, Exception? inner = null)
    : Exception(message, inner)
{
    public string Reason { get; } = reason;

    public string? ConditionType { get; } = conditionType;

    public bool Stalled { get; } = stalled;

    /// <summary>The steps already set Ready (a kind that summarises it from its own conditions, as the HelmRelease does); it is left as is.</summary>
    public bool KeepsReady { get; init; }

    /// <summary>Retry after exactly this long instead of the kind's backoff or retry interval (a source not ready yet).</summary>
    public TimeSpan? RetryAfter { get; init; }
}
