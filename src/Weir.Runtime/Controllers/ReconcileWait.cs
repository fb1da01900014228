namespace Weir.Runtime.Controllers;

/// <summary>
/// A step cannot go on yet but nothing is wrong with the object: a source without an artifact, a dependency not
/// ready, health checks cut short by a new revision. The runner marks Ready=False with <see cref="Reason"/> and the
/// message (or <see cref="ConditionType"/>=True on kinds that summarise Ready), records <see cref="Event"/> as a
/// Normal event when given, logs <see cref="Log"/> (default: the message) and requeues after
/// <see cref="RequeueAfter"/> — never with backoff, never Stalled, and no Warning event (Flux's <c>Waiting</c> error).
/// </summary>
public sealed class ReconcileWait(string reason, string message, TimeSpan requeueAfter, string? conditionType = null) : Exception(message)
{
    public string Reason { get; } = reason;

    public TimeSpan RequeueAfter { get; } = requeueAfter;

    public string? ConditionType { get; } = conditionType;

    public string? Event { get; init; }

    public string? Log { get; init; }

    /// <summary>The steps already set Ready; it is left as is (see <see cref="ReconcileFailure.KeepsReady"/>).</summary>
    public bool KeepsReady { get; init; }
}
