using Weir.Core.Conditions;
using Weir.Helm.Actions;
using Weir.Helm.Releases;
using Weir.Runtime.Controllers;

namespace Weir.Controllers.HelmReleases.Actions;

/// <summary>
/// Remediates a failed install (or, with <c>upgrade.remediation.strategy: uninstall</c>, a failed upgrade) by
/// uninstalling the release with the <c>uninstall</c> options: <c>Remediated</c> True (<c>UninstallSucceeded</c>) or
/// False (<c>UninstallFailed</c>). The next reconcile installs again.
/// </summary>
public sealed class UninstallRemediation : IReleaseAction
{
    public string Name => Remediation.Uninstall;

    public ActionKind Kind => ActionKind.Remediate;

    public TimeSpan Timeout(HelmReleaseRun run) => ActionTimeouts.Of(run.Spec.Uninstall?.Timeout, run);

    public async Task RunAsync(ReleaseContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var current = run.History.Latest ?? throw new ReleaseActionException("no release to uninstall: the history is empty");
        var name = ReleaseHistory.FullReleaseName(current);
        var chart = ReleaseHistory.VersionedChartName(current);
        var log = new HelmLogBuffer();
        try
        {
            await UninstallAsync(context, Timeout(run), cancellationToken, log);
            await ReleaseOutcome.SucceededAsync(run, ConditionTypes.Remediated, ReleaseMessages.UninstallSucceeded,
                ReleaseMessages.UninstallRemediationSuccess(name, chart), cancellationToken);
        }
        catch (HelmActionException e)
        {
            context.Observe(e.Release);
            var message = ReleaseMessages.UninstallRemediationFailure(name, chart, e.Message.Trim());
            run.Increment("failures");
            run.Conditions.MarkFalse(ConditionTypes.Remediated, ReleaseMessages.UninstallFailed, message);
            await run.EventAsync(EventRecorder.Warning, ReleaseMessages.WithLogs(message, log.Lines), cancellationToken, ReleaseMessages.UninstallFailed);
        }
    }

    /// <summary>Helm uninstall with the HelmRelease's <c>uninstall</c> options; the snapshot of the release turns <c>uninstalled</c>.</summary>
    public static async Task UninstallAsync(ReleaseContext context, TimeSpan timeout, CancellationToken cancellationToken, HelmLogBuffer? log = null)
    {
        var run = context.Run;
        var latest = await context.Store.LastAsync(run.ReleaseName, cancellationToken);
        var kept = await context.Helm.UninstallAsync(
            Options(run, run.ReleaseName, run.ReleaseNamespace, timeout, log ?? new HelmLogBuffer()), cancellationToken);
        context.Observe(kept ?? latest?.WithStatus(ReleaseStatus.Uninstalled, "Uninstallation complete"));
    }

    /// <summary>Helm's uninstall options for a release of this HelmRelease, from its <c>uninstall</c> spec.</summary>
    public static UninstallOptions Options(HelmReleaseRun run, string releaseName, string releaseNamespace, TimeSpan timeout, HelmLogBuffer log)
    {
        var uninstall = run.Spec.Uninstall;
        return HelmActionSettings.Shared(new UninstallOptions(releaseName, releaseNamespace)
        {
            Timeout = timeout,
            Wait = uninstall?.DisableWait != true,
            DisableHooks = uninstall?.DisableHooks == true,
            KeepHistory = uninstall?.KeepHistory == true,
            DeletionPropagation = uninstall?.DeletionPropagation is { Length: > 0 } policy ? policy : "background",
        }, run, log);
    }
}
