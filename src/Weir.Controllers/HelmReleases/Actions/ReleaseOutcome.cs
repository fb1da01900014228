using Weir.Core.Conditions;
using Weir.Core.Time;
using Weir.Helm.Actions;
using Weir.Helm.Charts;
using Weir.Helm.Releases;
using Weir.Helm.Rendering;
using Weir.Helm.Values;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Controllers.HelmReleases.Actions;

/// <summary>What the actions share when they record an outcome.</summary>
internal static class ReleaseOutcome
{
    /// <summary>A condition True with its reason and message, and the same as a Normal event.</summary>
    public static Task SucceededAsync(HelmReleaseRun run, string condition, string reason, string message, CancellationToken cancellationToken)
    {
        run.Conditions.MarkTrue(condition, reason, message);
        return run.EventAsync(EventRecorder.Normal, message, cancellationToken, reason);
    }

    /// <summary>
    /// An install or upgrade stored <paramref name="release"/>: its snapshot, <c>Released</c> True with
    /// <paramref name="message"/> (of the release's full name and versioned chart) and the event; tests await.
    /// </summary>
    public static async Task ReleasedAsync(
        ReleaseContext context, Release release, string action, string reason, Func<string, string, string> message, TimeSpan took, CancellationToken cancellationToken)
    {
        var run = context.Run;
        run.Status["lastAttemptedReleaseActionDuration"] = Duration(took);
        context.Observe(release, action, run.OciDigest);
        await context.ObserveStoredAsync(cancellationToken);
        var latest = run.History.Latest!;
        await SucceededAsync(run, ConditionTypes.Released, reason,
            message(ReleaseHistory.FullReleaseName(latest), ReleaseHistory.VersionedChartName(latest)), cancellationToken);
        AwaitTests(run);
    }

    /// <summary>
    /// An install or upgrade failed: <c>Released</c> False with <paramref name="message"/>, the failure counted; when
    /// Helm stored a failed record it is observed, counted against <paramref name="remediation"/> and reported as a
    /// Warning event, otherwise the action fails with a <see cref="ReleaseActionException"/>. The event carries Helm's last log lines.
    /// </summary>
    public static async Task ReleaseFailedAsync(
        ReleaseContext context, Exception error, string action, string reason, string message, Remediation remediation, TimeSpan took,
        HelmLogBuffer log, CancellationToken cancellationToken)
    {
        var run = context.Run;
        run.Status["lastAttemptedReleaseActionDuration"] = Duration(took);
        run.Increment("failures");
        run.Conditions.MarkFalse(ConditionTypes.Released, reason, message);
        if (error is not HelmActionException { Release: { } failed } || error is ReleaseInProgressException)
        {
            throw new ReleaseActionException(message, error);
        }

        context.Observe(failed, action, run.OciDigest);
        remediation.IncrementFailureCount(run);
        await run.EventAsync(EventRecorder.Warning, ReleaseMessages.WithLogs(message, log.Lines), cancellationToken, reason);
    }

    /// <summary>After an install or upgrade with tests enabled: <c>TestSuccess</c> Unknown until they ran.</summary>
    public static void AwaitTests(HelmReleaseRun run)
    {
        if (run.Spec.Test?.Enable == true && run.History.Latest is { } latest && !ReleaseHistory.HasBeenTested(latest))
        {
            run.Conditions.MarkUnknown(ConditionTypes.TestSuccess, ReleaseMessages.AwaitingTests,
                ReleaseMessages.TestPending(ReleaseHistory.FullReleaseName(latest), ReleaseHistory.VersionedChartName(latest)));
        }
    }

    /// <summary>Errors an action reports as its failure (Helm's, the chart's, the values', the templates', the API server's).</summary>
    public static bool IsActionError(Exception e) =>
        e is HelmActionException or ChartException or ValuesException or RenderException or KubeApiException;

    public static string Duration(TimeSpan elapsed) => FluxDuration.Format(elapsed);
}
