using Weir.Core.Conditions;
using Weir.Helm.Actions;

namespace Weir.Controllers.HelmReleases.Actions;

/// <summary>
/// Helm upgrade to the chart and values wanted: <c>Released</c> True (<c>UpgradeSucceeded</c>) or False
/// (<c>UpgradeFailed</c>) with the upgrade failures counted; <c>upgrade.preserveValues</c> reuses the release's values,
/// <c>upgrade.crds</c> decides whether the chart's CRDs are applied (not by default); <c>force</c> replaces objects
/// when the release is not applied server-side, <c>cleanupOnFail</c> deletes what a failed upgrade created.
/// </summary>
public sealed class UpgradeAction : IReleaseAction
{
    public string Name => Remediation.Upgrade;

    public ActionKind Kind => ActionKind.Release;

    public TimeSpan Timeout(HelmReleaseRun run) => ActionTimeouts.Of(run.Spec.Upgrade?.Timeout, run);

    public async Task RunAsync(ReleaseContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var upgrade = run.Spec.Upgrade;
        run.Status["lastAttemptedReleaseAction"] = Remediation.Upgrade;
        run.Conditions.Remove(ConditionTypes.TestSuccess);
        run.Conditions.Remove(ConditionTypes.Remediated);
        var crds = upgrade?.Crds is { Length: > 0 } policy ? policy : "Skip";
        var log = new HelmLogBuffer();
        var serverSideApply = HelmActionSettings.ServerSideApply(upgrade?.ServerSideApply, await context.Store.LastAsync(run.ReleaseName, cancellationToken));
        var options = HelmActionSettings.Shared(new UpgradeOptions(run.ReleaseName, run.ReleaseNamespace)
        {
            Timeout = Timeout(run),
            Wait = upgrade?.DisableWait != true,
            WaitForJobs = upgrade?.DisableWaitForJobs != true,
            DisableHooks = upgrade?.DisableHooks == true,
            DisableOpenApiValidation = upgrade?.DisableOpenAPIValidation == true,
            SkipSchemaValidation = upgrade?.DisableSchemaValidation == true,
            ForceReplace = upgrade?.Force == true && !serverSideApply,
            CleanupOnFail = upgrade?.CleanupOnFail == true,
            ReuseValues = upgrade?.PreserveValues == true,
            MaxHistory = run.MaxHistory,
            SkipCrds = crds == "Skip",
            ReplaceCrds = crds == "CreateReplace",
            PostRenderer = PostRenderers.ReleasePostRenderer.For(run.Release),
            PostRenderStrategy = PostRenderers.ReleasePostRenderer.Strategy(run.Release),
            TakeOwnership = upgrade?.DisableTakeOwnership != true,
        }, run, log);

        var started = run.Elapsed;
        try
        {
            var release = await context.Helm.UpgradeAsync(run.Chart!, run.Values, options, cancellationToken);
            await ReleaseOutcome.ReleasedAsync(context, release, Name, ReleaseMessages.UpgradeSucceeded, ReleaseMessages.UpgradeSuccess,
                run.Elapsed - started, cancellationToken);
        }
        catch (Exception e) when (ReleaseOutcome.IsActionError(e))
        {
            var message = ReleaseMessages.UpgradeFailure(run.ReleaseNamespace, run.ReleaseName, run.Chart!.Name, run.Chart.Metadata.Version, e.Message.Trim());
            await ReleaseOutcome.ReleaseFailedAsync(context, e, Name, ReleaseMessages.UpgradeFailed, message, Remediation.ForUpgrade(run.Spec),
                run.Elapsed - started, log, cancellationToken);
        }
    }
}
