using Weir.Core.Conditions;
using Weir.Helm.Actions;

namespace Weir.Controllers.HelmReleases.Actions;

/// <summary>
/// Helm install of the chart with the composed values: a fresh history, then <c>Released</c> True
/// (<c>InstallSucceeded</c>, <c>TestSuccess</c> Unknown while tests await) or False (<c>InstallFailed</c>) with the
/// install failures counted.
/// </summary>
public sealed class InstallAction : IReleaseAction
{
    public string Name => Remediation.Install;

    public ActionKind Kind => ActionKind.Release;

    public TimeSpan Timeout(HelmReleaseRun run) => ActionTimeouts.Of(run.Spec.Install?.Timeout, run);

    public async Task RunAsync(ReleaseContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var install = run.Spec.Install;
        run.Status["lastAttemptedReleaseAction"] = Remediation.Install;
        run.History.Clear();
        run.Conditions.Remove(ConditionTypes.TestSuccess);
        run.Conditions.Remove(ConditionTypes.Remediated);
        var crds = install?.Crds is { Length: > 0 } policy ? policy : install?.SkipCRDs == true ? "Skip" : "Create";
        var log = new HelmLogBuffer();
        var options = HelmActionSettings.Shared(new InstallOptions(run.ReleaseName, run.ReleaseNamespace)
        {
            Timeout = Timeout(run),
            Wait = install?.DisableWait != true,
            WaitForJobs = install?.DisableWaitForJobs != true,
            DisableHooks = install?.DisableHooks == true,
            DisableOpenApiValidation = install?.DisableOpenAPIValidation == true,
            SkipSchemaValidation = install?.DisableSchemaValidation == true,
            Replace = install?.Replace == true,
            SkipCrds = crds == "Skip",
            ReplaceCrds = crds == "CreateReplace",
            PostRenderer = PostRenderers.ReleasePostRenderer.For(run.Release),
            PostRenderStrategy = PostRenderers.ReleasePostRenderer.Strategy(run.Release),
            TakeOwnership = install?.DisableTakeOwnership != true,

            // As helm-controller: only a release into another namespace than the HelmRelease's creates it.
            CreateNamespace = install?.CreateNamespace == true && run.Spec.TargetNamespace is { Length: > 0 },
        }, run, log);

        var started = run.Elapsed;
        try
        {
            var release = await context.Helm.InstallAsync(run.Chart!, run.Values, options, cancellationToken);
            await ReleaseOutcome.ReleasedAsync(context, release, Name, ReleaseMessages.InstallSucceeded, ReleaseMessages.InstallSuccess,
                run.Elapsed - started, cancellationToken);
        }
        catch (Exception e) when (ReleaseOutcome.IsActionError(e))
        {
            var message = ReleaseMessages.InstallFailure(run.ReleaseNamespace, run.ReleaseName, run.Chart!.Name, run.Chart.Metadata.Version, e.Message.Trim());
            await ReleaseOutcome.ReleaseFailedAsync(context, e, Name, ReleaseMessages.InstallFailed, message, Remediation.ForInstall(run.Spec),
                run.Elapsed - started, log, cancellationToken);
        }
    }
}
