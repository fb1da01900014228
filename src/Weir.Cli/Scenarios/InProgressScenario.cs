namespace Weir.Cli.Scenarios;

/// <summary>
/// Seeds: READY Unknown, "Reconciliation in progress" — the Kustomization waits for a rollout whose pods are still
/// pulling their image (it never finishes here), with a 30-minute timeout, so the health check keeps running.
/// </summary>
public sealed class InProgressScenario : Scenario
{
    public override string Name => "in-progress";

    public override string Description => "apps waits on a slow rollout (30m timeout): READY Unknown, Reconciliation in progress";

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        // The image never finishes pulling and the progress deadline is far away, so the rollout stays in progress.
        await context.PushAsync("my-app", "v2.1.0",
            AppManifests.WebApp("my-app", "v2.1.0", imageTag: "v2.1.0-broken", progressDeadlineSeconds: 360000), cancellationToken: cancellationToken);
        await context.CreateAsync(FluxObjects.Repository(context, "my-app", context.RepositoryUrl("my-app"), FluxObjects.Semver(">=2.0.0")), cancellationToken);
        await context.WaitForArtifactAsync("my-app", "v2.1.0", cancellationToken);
        await context.CreateAsync(FluxObjects.Kustomization(context, "apps", "my-app", timeout: "30m", wait: true), cancellationToken);
    }
}
