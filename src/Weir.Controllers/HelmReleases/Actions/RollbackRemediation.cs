using Weir.Core.Conditions;
using Weir.Helm.Actions;
using Weir.Runtime.Controllers;

namespace Weir.Controllers.HelmReleases.Actions;

/// <summary>
/// Remediates a failed upgrade by rolling back to the previous successful release of the history:
/// <c>Remediated</c> True (<c>RollbackSucceeded</c>) — which makes Ready False — or False (<c>RollbackFailed</c>).
/// </summary>
public sealed class RollbackRemediation : IReleaseAction
{
    public string Name => Remediation.Rollback;

    public ActionKind Kind => ActionKind.Remediate;

    public TimeSpan Timeout(HelmReleaseRun run) => ActionTimeouts.Of(run.Spec.Rollback?.Timeout, run);

    public async Task RunAsync(ReleaseContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var rollback = run.Spec.Rollback;
        var ignoreTests = Remediation.Active(run)?.IgnoreTestFailures ?? false;
        var previous = run.History.Previous(ignoreTests) ?? throw new ReleaseActionException("no previous successful release to roll back to");
        var name = ReleaseHistory.FullReleaseName(previous);
        var chart = ReleaseHistory.VersionedChartName(previous);
        var version = previous["version"]!.GetValue<int>();
        var log = new HelmLogBuffer();
        var target = (await context.Store.HistoryAsync(run.ReleaseName, cancellationToken)).FirstOrDefault(r => r.Version == version);
        var options = HelmActionSettings.Shared(new RollbackOptions(run.ReleaseName, run.ReleaseNamespace)
        {
            Version = version,
            Timeout = Timeout(run),
            Wait = rollback?.DisableWait != true,
            WaitForJobs = rollback?.DisableWaitForJobs != true,
            DisableHooks = rollback?.DisableHooks == true,
            ForceReplace = rollback?.Force == true && !HelmActionSettings.ServerSideApply(rollback.ServerSideApply, target),
            CleanupOnFail = rollback?.CleanupOnFail == true,
            MaxHistory = run.MaxHistory,
        }, run, log);
        try
        {
            var release = await context.Helm.RollbackAsync(options, cancellationToken);
            context.Observe(release);
            await context.ObserveStoredAsync(cancellationToken);
            await ReleaseOutcome.SucceededAsync(run, ConditionTypes.Remediated, ReleaseMessages.RollbackSucceeded,
                ReleaseMessages.RollbackSuccess(name, chart), cancellationToken);
        }
        catch (HelmActionException e)
        {
            context.Observe(e.Release);
            var message = ReleaseMessages.RollbackFailure(name, chart, e.Message.Trim());
            run.Increment("failures");
            run.Conditions.MarkFalse(ConditionTypes.Remediated, ReleaseMessages.RollbackFailed, message);
            await run.EventAsync(EventRecorder.Warning, ReleaseMessages.WithLogs(message, log.Lines), cancellationToken, ReleaseMessages.RollbackFailed);
        }
    }
}
