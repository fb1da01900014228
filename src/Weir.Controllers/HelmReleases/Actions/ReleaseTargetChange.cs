using Weir.Core.Conditions;
using Weir.Helm.Actions;
using Weir.Runtime.Controllers;

namespace Weir.Controllers.HelmReleases.Actions;

/// <summary>
/// helm-controller's release target check, before any action: when the storage namespace, the release namespace or
/// the release name changed since the latest release — or the chart's name, unless
/// <c>upgrade.chartNameChangeStrategy</c> is <c>InPlaceUpdate</c> (the default is <c>Reinstall</c>) — the release
/// made for the old target is uninstalled (with the <c>uninstall</c> options) and the history, failure counters and
/// storage namespace start over, so the next action installs afresh.
/// </summary>
public static class ReleaseTargetChange
{
    /// <summary>What changed (<c>storage namespace</c>, <c>release namespace</c>, <c>release name</c>, <c>chart name</c>), or null.</summary>
    public static string? Reason(HelmReleaseRun run)
    {
        if (run.History.Latest is not { } current || run.Status["storageNamespace"]?.GetValue<string>() is not { Length: > 0 } storage)
        {
            return null;
        }

        if (run.StorageNamespace != storage)
        {
            return "storage namespace";
        }

        if (run.ReleaseNamespace != ReleaseHistory.Str(current, "namespace"))
        {
            return "release namespace";
        }

        if (run.ReleaseName != ReleaseHistory.Str(current, "name"))
        {
            return "release name";
        }

        return run.Chart!.Name != ReleaseHistory.Str(current, "chartName") && run.Spec.Upgrade?.ChartNameChangeStrategy != "InPlaceUpdate"
            ? "chart name"
            : null;
    }

    /// <summary>
    /// Uninstalls the latest release where it was made (<c>Released</c> False, <c>UninstallSucceeded</c>, and an event),
    /// then clears the history; a failed uninstall is <c>UninstallFailed</c> with Helm's last log lines and fails the reconcile.
    /// </summary>
    public static async Task UninstallPreviousAsync(HelmCluster helm, HelmReleaseRun run, string reason, JsonLog log, CancellationToken cancellationToken)
    {
        var current = run.History.Latest!;
        var name = ReleaseHistory.FullReleaseName(current);
        var chart = ReleaseHistory.VersionedChartName(current);
        log.Info($"release target configuration changed ({reason}): running uninstall for current release", "HelmRelease", run.Key);
        var buffer = new HelmLogBuffer();
        var options = UninstallRemediation.Options(run, ReleaseHistory.Str(current, "name"), ReleaseHistory.Str(current, "namespace"),
            ActionTimeouts.Of(run.Spec.Uninstall?.Timeout, run), buffer);

        // Where the release was stored, which may not be where it would be stored now.
        options = options with { StorageNamespace = run.Status["storageNamespace"]!.GetValue<string>() };
        try
        {
            await helm.UninstallAsync(options, cancellationToken);
        }
        catch (HelmActionException e) when (e.Message.EndsWith("release: not found", StringComparison.Ordinal))
        {
            // Something else uninstalled it already.
        }
        catch (HelmActionException e)
        {
            var failure = ReleaseMessages.UninstallFailure(name, chart, e.Message.Trim());
            run.Increment("failures");
            run.Conditions.MarkFalse(ConditionTypes.Released, ReleaseMessages.UninstallFailed, failure);
            await run.EventAsync(EventRecorder.Warning, ReleaseMessages.WithLogs(failure, buffer.Lines), cancellationToken, ReleaseMessages.UninstallFailed);
            throw new ReconcileFailure(ReleaseMessages.UninstallFailed, failure, inner: e);
        }

        var message = ReleaseMessages.UninstallSuccess(name, chart);
        run.Conditions.MarkFalse(ConditionTypes.Released, ReleaseMessages.UninstallSucceeded, message);
        await run.EventAsync(EventRecorder.Normal, message, cancellationToken, ReleaseMessages.UninstallSucceeded);
        run.History.Clear();
        run.ClearFailures();
        run.Status.Remove("storageNamespace");
    }
}
