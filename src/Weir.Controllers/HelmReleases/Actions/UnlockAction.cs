using Weir.Core.Conditions;
using Weir.Helm.Releases;
using Weir.Runtime.Controllers;

namespace Weir.Controllers.HelmReleases.Actions;

/// <summary>
/// A release left pending (the controller stopped mid-action) is locked for Helm: its record is marked failed, so
/// it can be remediated or upgraded, with <c>Released</c> False saying so.
/// </summary>
public sealed class UnlockAction(Release pending) : IReleaseAction
{
    public string Name => "unlock";

    public ActionKind Kind => ActionKind.Unlock;

    public TimeSpan Timeout(HelmReleaseRun run) => run.Timeout;

    public async Task RunAsync(ReleaseContext context, CancellationToken cancellationToken)
    {
        var status = pending.Info.Status;
        var unlocked = pending.WithStatus(ReleaseStatus.Failed, $"Release unlocked from stale '{status}' state");
        await context.Store.UpdateAsync(unlocked, cancellationToken);
        context.Observe(unlocked);
        var snapshot = ReleaseHistory.Snapshot(unlocked);
        var message = ReleaseMessages.Unlocked(ReleaseHistory.FullReleaseName(snapshot), ReleaseHistory.VersionedChartName(snapshot), status);
        context.Run.Conditions.MarkFalse(ConditionTypes.Released, ReleaseMessages.PendingRelease, message);
        await context.Run.EventAsync(EventRecorder.Normal, message, cancellationToken, ReleaseMessages.PendingRelease);
    }
}
