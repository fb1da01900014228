using Weir.Core.Conditions;
using Weir.Helm.Releases;
using Weir.Runtime.Controllers;

namespace Weir.Controllers.HelmReleases.Actions;

/// <summary>
/// <c>driftDetection.mode: enabled</c>: the release's objects that drifted are put back (the correction itself is
/// the drift corrector's), an event lists what was corrected and <c>Drifted</c> turns False.
/// </summary>
public sealed class CorrectDriftAction(Release release, Func<Release, CancellationToken, Task<string>> correct) : IReleaseAction
{
    public string Name => "correct cluster drift";

    public ActionKind Kind => ActionKind.DriftCorrection;

    public TimeSpan Timeout(HelmReleaseRun run) => run.Timeout;

    public async Task RunAsync(ReleaseContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var name = ReleaseHistory.FullReleaseName(ReleaseHistory.Snapshot(release));
        var corrected = await correct(release, cancellationToken);
        var message = ReleaseMessages.Corrected(name, corrected);
        run.Conditions.MarkFalse(ConditionTypes.Drifted, ReleaseMessages.DriftCorrected, message);
        await run.EventAsync(EventRecorder.Normal, message, cancellationToken, ReleaseMessages.DriftCorrected);
    }
}
