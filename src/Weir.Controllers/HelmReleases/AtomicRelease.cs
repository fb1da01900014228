using Weir.Controllers.HelmReleases.Actions;
using Weir.Controllers.HelmReleases.Drift;
using Weir.Core.Conditions;
using Weir.Core.Time;
using Weir.Helm.Releases;
using Weir.Runtime.Controllers;

namespace Weir.Controllers.HelmReleases;

/// <summary>
/// helm-controller's atomic release: determine the release's state, pick the next action (<see cref="NextAction"/>),
/// run it, and again, until the release is in sync — each kind of action at most once per reconcile, and a
/// remediation always ending the reconcile (requeued at once while retries last, Stalled when they are used up).
/// Ready is summarised from <c>Remediated</c>, <c>TestSuccess</c> (tests enabled and failures not ignored) and
/// <c>Released</c>, in that order; a Remediated release is never Ready.
/// </summary>
public sealed class AtomicRelease(
    Func<Release, CancellationToken, Task<DriftReport>>? detectDrift = null, Func<DriftReport, CancellationToken, Task<DriftCorrection>>? correctDrift = null)
{
    public async Task RunAsync(ReleaseContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var done = new HashSet<ActionKind>();
        while (true)
        {
            ReleaseState state;
            try
            {
                state = await ReleaseState.DetermineAsync(run, context.Store, DriftModes.Of(run.Spec.DriftDetection).Detects() ? detectDrift : null, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException and not ReconcileFailure)
            {
                throw new ReconcileFailure(ReleaseMessages.StateError, $"Could not determine release state: {e.Message}", inner: e);
            }

            context.Log.Info($"determined release state: '{state.Status}'{(state.Reason.Length > 0 ? $" reason '{state.Reason}'" : "")}", "HelmRelease", run.Key);
            var next = await NextAction.ForAsync(context, state, correctDrift, cancellationToken);
            if (next is null)
            {
                run.Conditions.Remove(ConditionTypes.Reconciling);
                Summarize(run);
                return;
            }

            if (done.Contains(next.Kind))
            {
                StopForNow(run, stalledWhenExhausted: false);
                run.Conditions.Remove(ConditionTypes.Reconciling);
                return;
            }

            var running = ReleaseMessages.Running(next.Name, FluxDuration.Format(next.Timeout(run)));
            run.Conditions.MarkReconciling(ConditionReasons.Progressing, running);
            if (next.Kind == ActionKind.Release)
            {
                run.Conditions.MarkUnknown(ConditionTypes.Ready, ConditionReasons.Progressing, running);
            }

            await run.PatchWithHistoryAsync(cancellationToken);
            context.Log.Info($"running '{next.Name}' action with timeout of {FluxDuration.Format(next.Timeout(run))}", "HelmRelease", run.Key);
            try
            {
                await next.RunAsync(context, cancellationToken);
            }
            catch (ReleaseActionException e)
            {
                Summarize(run);
                Retry(run);
                if (run.Conditions.IsTrue(ConditionTypes.Ready))
                {
                    run.Conditions.MarkFalse(ConditionTypes.Ready, ReleaseMessages.ReconcileError, e.Message);
                }

                throw new ReconcileFailure(run.Conditions.Get(ConditionTypes.Ready)?.Reason ?? ReleaseMessages.ReconcileError, e.Message, inner: e)
                {
                    KeepsReady = true,
                };
            }

            Summarize(run);
            if (next.Kind == ActionKind.Remediate)
            {
                StopForNow(run, stalledWhenExhausted: true);
            }

            done.Add(next.Kind);
            await run.PatchWithHistoryAsync(cancellationToken);
        }
    }

    /// <summary>Ready from the release conditions, as Flux's summary: Remediated, then TestSuccess (when it counts), then Released.</summary>
    public static void Summarize(HelmReleaseRun run)
    {
        var test = run.Spec.Test;
        if (test?.Enable != true)
        {
            run.Conditions.Remove(ConditionTypes.TestSuccess);
        }

        string[] order = test?.Enable == true && test.IgnoreFailures != true
            ? [ConditionTypes.Remediated, ConditionTypes.TestSuccess, ConditionTypes.Released]
            : [ConditionTypes.Remediated, ConditionTypes.Released];
        if (order.Select(run.Conditions.Get).FirstOrDefault(c => c is not null) is not { } first)
        {
            return;
        }

        var status = first.Type == ConditionTypes.Remediated ? ConditionStatus.False : first.Status;
        if (status == ConditionStatus.True)
        {
            run.Conditions.Remove(ConditionTypes.Stalled);
        }

        run.Conditions.Set(ConditionTypes.Ready, status, first.Reason, first.Message);
        SetOrRemove(run, "observedPostRenderersDigest", run.PostRenderersDigest);
        SetOrRemove(run, "observedCommonMetadataDigest", run.CommonMetadataDigest);
    }

    private static void SetOrRemove(HelmReleaseRun run, string field, string? value)
    {
        if (value is null)
        {
            run.Status.Remove(field);
        }
        else
        {
            run.Status[field] = value;
        }
    }

    /// <summary>
    /// The reconcile cannot go on now: with <c>RetryOnFailure</c> it comes back after the retry interval; while
    /// remediation retries last, at once; when they are used up after a remediation, the HelmRelease is Stalled.
    /// </summary>
    private static void StopForNow(HelmReleaseRun run, bool stalledWhenExhausted)
    {
        Retry(run);
        var remediation = Remediation.Active(run);
        var uninstallAfterUpgrade = remediation is { Action: Remediation.Upgrade, Strategy: Remediation.Uninstall };
        if (remediation is null || !remediation.RetriesExhausted(run) || (stalledWhenExhausted && uninstallAfterUpgrade))
        {
            var ready = run.Conditions.Get(ConditionTypes.Ready);
            run.Conditions.MarkReconciling(ConditionReasons.ProgressingWithRetry, ready?.Message ?? "");
            throw new ReconcileWait(ready?.Reason ?? ConditionReasons.Progressing, ready?.Message ?? "", TimeSpan.Zero) { KeepsReady = true };
        }

        if (stalledWhenExhausted)
        {
            throw NextAction.Exhausted(run);
        }
    }

    private static void Retry(HelmReleaseRun run)
    {
        if (RetryStrategy.Active(run) is { } retry)
        {
            var message = $"retrying after {FluxDuration.Format(retry.Interval)}";
            run.Conditions.MarkReconciling(ConditionReasons.ProgressingWithRetry, message);
            var ready = run.Conditions.Get(ConditionTypes.Ready);
            throw new ReconcileWait(ready?.Reason ?? ConditionReasons.ProgressingWithRetry, ready?.Message ?? message, retry.Interval) { KeepsReady = true };
        }
    }
}
