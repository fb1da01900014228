using Weir.Controllers.HelmReleases.Actions;
using Weir.Controllers.HelmReleases.Drift;
using Weir.Core.Conditions;
using Weir.Helm.Releases;
using Weir.Runtime.Controllers;

namespace Weir.Controllers.HelmReleases;

/// <summary>
/// Picks the action for a release's state, as helm-controller's atomic release does: locked → unlock; absent →
/// install; unmanaged or out of sync → upgrade; untested → test; failed → the active remediation (rollback or
/// uninstall) while retries last; drifted → drift correction (or only the report in <c>warn</c> mode); in sync → none.
/// Running out of retries stalls the HelmRelease (<c>RetriesExceeded</c>).
/// </summary>
public static class NextAction
{
    public static async Task<IReleaseAction?> ForAsync(
        ReleaseContext context, ReleaseState state, Func<DriftReport, CancellationToken, Task<DriftCorrection>>? correctDrift, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var force = run.ForceRequested;
        switch (state.Status)
        {
            case ReleaseStatusKind.InSync:
                InSync(run);
                return force ? new UpgradeAction() : null;
            case ReleaseStatusKind.Locked:
                return new UnlockAction(state.Latest!);
            case ReleaseStatusKind.Absent:
                return Remediation.ForInstall(run.Spec).RetriesExhausted(run) && !force ? throw Exhausted(run) : new InstallAction();
            case ReleaseStatusKind.Unmanaged:
                run.History.Clear();
                return new UpgradeAction();
            case ReleaseStatusKind.OutOfSync:
                return Remediation.ForUpgrade(run.Spec).RetriesExhausted(run) && !force ? throw Exhausted(run) : new UpgradeAction();
            case ReleaseStatusKind.Drifted:
                var message = state.Drift!.DetectedMessage(ReleaseHistory.FullReleaseName(run.History.Latest!));
                await run.EventAsync(EventRecorder.Warning, message, cancellationToken, ReleaseMessages.DriftDetected);
                run.Conditions.MarkTrue(ConditionTypes.Drifted, ReleaseMessages.DriftDetected, message);
                return DriftModes.Of(run.Spec.DriftDetection) == DriftMode.Enabled && correctDrift is not null
                    ? new CorrectDriftAction(state.Drift, correctDrift)
                    : null;
            case ReleaseStatusKind.Untested:
                ReplaceRemediated(run);
                return new TestAction();
            case ReleaseStatusKind.Failed:
                return await ForFailedAsync(context, force, cancellationToken);
            default:
                throw new InvalidOperationException($"unknown release status {state.Status}");
        }
    }

    /// <summary>The Stalled failure when retries are used up: <c>Failed to upgrade after 2 attempt(s)</c>.</summary>
    public static ReconcileFailure Exhausted(HelmReleaseRun run) =>
        new(ReleaseMessages.RetriesExceeded, ReleaseMessages.RetriesExhausted(
            run.Status["lastAttemptedReleaseAction"]?.GetValue<string>() ?? "", Remediation.Active(run)?.FailureCount(run) ?? 0), stalled: true)
        {
            KeepsReady = true,
        };

    private static async Task<IReleaseAction?> ForFailedAsync(ReleaseContext context, bool force, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var remediation = Remediation.Active(run);
        if (RetryStrategy.Active(run) is not null || remediation is null || remediation.FailureCount(run) <= 0 || force)
        {
            return new UpgradeAction();
        }

        if (remediation.RetriesExhausted(run) && !remediation.RemediateLastFailure)
        {
            throw Exhausted(run);
        }

        run.History.Truncate(remediation.IgnoreTestFailures);
        if (remediation.Strategy == Remediation.Uninstall)
        {
            return new UninstallRemediation();
        }

        var previous = run.History.Previous(remediation.IgnoreTestFailures);
        Release? target = null;
        if (previous is not null)
        {
            var history = await context.Store.HistoryAsync(run.ReleaseName, cancellationToken);
            target = history.FirstOrDefault(r => r.Version == previous["version"]?.GetValue<int>());
        }

        if (target is null)
        {
            throw new ReconcileFailure(ReleaseMessages.MissingRollbackTarget,
                "Failed to perform remediation: missing target release for rollback: cannot remediate failed release", stalled: true)
            {
                KeepsReady = true,
            };
        }

        // A rollback target changed behind the controller's back is not trusted: upgrading again is the safer remedy.
        return ReleaseHistory.Str(previous!, "digest") == ReleaseHistory.Digest(target) ? new RollbackRemediation() : new UpgradeAction();
    }

    /// <summary>In sync: the history kept to the previous success, and Released/Ready brought back to the success they stand for.</summary>
    private static void InSync(HelmReleaseRun run)
    {
        var remediation = Remediation.Active(run);
        run.History.Truncate(remediation?.IgnoreTestFailures ?? run.Spec.Test?.IgnoreFailures ?? false);
        ReplaceRemediated(run);
        if (!run.Conditions.IsTrue(ConditionTypes.Ready) || !run.Conditions.IsTrue(ConditionTypes.Released))
        {
            var latest = run.History.Latest;
            var reason = run.Conditions.Get(ConditionTypes.Released)?.Reason;
            if (latest is not null && reason is ReleaseMessages.InstallFailed or ReleaseMessages.UpgradeFailed)
            {
                var name = ReleaseHistory.FullReleaseName(latest);
                var chart = ReleaseHistory.VersionedChartName(latest);
                if (reason == ReleaseMessages.InstallFailed)
                {
                    run.Conditions.MarkTrue(ConditionTypes.Released, ReleaseMessages.InstallSucceeded, ReleaseMessages.InstallSuccess(name, chart));
                }
                else
                {
                    run.Conditions.MarkTrue(ConditionTypes.Released, ReleaseMessages.UpgradeSucceeded, ReleaseMessages.UpgradeSuccess(name, chart));
                }
            }
        }

        if (DriftModes.Of(run.Spec.DriftDetection).Detects())
        {
            run.Conditions.MarkFalse(ConditionTypes.Drifted, ReleaseMessages.NoDriftDetected, "No drift detected against the cluster state");
        }
    }

    /// <summary>A remediated release that now matches the wanted chart and values counts as upgraded.</summary>
    private static void ReplaceRemediated(HelmReleaseRun run)
    {
        if (run.Conditions.IsTrue(ConditionTypes.Remediated) && run.History.Latest is { } latest)
        {
            run.Conditions.Remove(ConditionTypes.Remediated);
            run.Conditions.MarkTrue(ConditionTypes.Released, ReleaseMessages.UpgradeSucceeded,
                ReleaseMessages.UpgradeSuccess(ReleaseHistory.FullReleaseName(latest), ReleaseHistory.VersionedChartName(latest)));
        }
    }
}
