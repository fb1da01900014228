using Weir.Controllers.HelmReleases.Drift;
using Weir.Core.Conditions;
using Weir.Runtime.Controllers;

namespace Weir.Controllers.HelmReleases.Actions;

/// <summary>
/// <c>driftDetection.mode: enabled</c>: the release's objects that drifted are put back by server-side apply
/// (<see cref="ReleaseDrift"/>), an event lists what was corrected and <c>Drifted</c> turns False; a correction that
/// fails is a Warning event and the release stays Drifted.
/// </summary>
public sealed class CorrectDriftAction(DriftReport report, Func<DriftReport, CancellationToken, Task<DriftCorrection>> correct) : IReleaseAction
{
    public string Name => "correct cluster drift";

    public ActionKind Kind => ActionKind.DriftCorrection;

    public TimeSpan Timeout(HelmReleaseRun run) => run.Timeout;

    public async Task RunAsync(ReleaseContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var correction = await correct(report, cancellationToken);
        var message = correction.Message(ReleaseHistory.FullReleaseName(run.History.Latest!));
        if (correction.Succeeded)
        {
            run.Conditions.MarkFalse(ConditionTypes.Drifted, correction.Reason, message);
        }

        await run.EventAsync(correction.Succeeded ? EventRecorder.Normal : EventRecorder.Warning, message, cancellationToken, correction.Reason);
    }
}
