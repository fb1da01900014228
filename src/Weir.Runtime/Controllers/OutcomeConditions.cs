using Weir.Core.Conditions;

namespace Weir.Runtime.Controllers;

/// <summary>
/// The one mapping from a reconcile's outcome to conditions (source-controller's <c>ComputeReconcileResult</c> +
/// <c>summarize</c>, kustomize-controller's <c>finalizeStatus</c>). Used by <see cref="ReconcileRunner{TRun}"/> and,
/// for exceptions no step expected, by <see cref="FailureStatus"/>.
/// </summary>
public static class OutcomeConditions
{
    /// <summary>
    /// Success: no longer Reconciling or Stalled; Ready summarised when the kind summarises it (otherwise the steps
    /// set it).
    /// </summary>
    public static void Succeeded(ConditionSet conditions, ReadySummary? summary)
    {
        conditions.Remove(ConditionTypes.Stalled);
        conditions.Remove(ConditionTypes.Reconciling);
        if (summary is not null)
        {
            conditions.SummarizeReady(summary);
        }
    }

    /// <summary>
    /// A failure or a wait: <paramref name="conditionType"/> (if any) True with the reason and message; Stalled when
    /// retrying cannot help, otherwise a present Reconciling turns to <c>ProgressingWithRetry</c>; Ready summarised,
    /// or False with the reason and message (unless <paramref name="keepReady"/>: the steps set it).
    /// </summary>
    public static void Failed(
        ConditionSet conditions, string reason, string message, string? conditionType, bool stalled, ReadySummary? summary, bool keepReady = false)
    {
        if (conditionType is not null)
        {
            conditions.MarkTrue(conditionType, reason, message);
        }

        if (stalled)
        {
            conditions.MarkStalled(reason, message);
        }
        else
        {
            conditions.Remove(ConditionTypes.Stalled);
            MarkRetrying(conditions);
        }

        if (summary is not null)
        {
            conditions.SummarizeReady(summary);
        }
        else if (!keepReady)
        {
            conditions.MarkFalse(ConditionTypes.Ready, reason, message);
        }
    }

    /// <summary>A run that ends without a verdict (suspended): Ready's state decides what Reconciling means.</summary>
    public static void Settled(ConditionSet conditions)
    {
        if (conditions.IsTrue(ConditionTypes.Ready))
        {
            conditions.Remove(ConditionTypes.Reconciling);
        }
        else if (conditions.IsFalse(ConditionTypes.Ready))
        {
            MarkRetrying(conditions);
        }
    }

    private static void MarkRetrying(ConditionSet conditions)
    {
        if (conditions.Get(ConditionTypes.Reconciling) is { } reconciling)
        {
            conditions.MarkReconciling(ConditionReasons.ProgressingWithRetry, reconciling.Message);
        }
    }
}
