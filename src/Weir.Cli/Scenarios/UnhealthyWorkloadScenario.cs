namespace Weir.Cli.Scenarios;

/// <summary>
/// A workload that never becomes healthy: v2.2.0 deploys an image that cannot be pulled (the simulator's
/// <c>-broken</c> tag), apps waits for it and fails with <c>health check failed after …: timeout waiting for: [Deployment/…]</c>.
/// </summary>
public sealed class UnhealthyWorkloadScenario : Scenario
{
    public override string Name => "unhealthy-workload";

    public override string Description => "v2.2.0's image cannot be pulled; apps fails its health check after the 30s timeout";

    public const string Timeout = "30s";

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        // The progress deadline outlasts the timeout, so the rollout is still in progress when the wait gives up.
        await context.PushAsync("my-app", "v2.2.0",
            AppManifests.WebApp("my-app", "v2.2.0", imageTag: "v2.2.0-broken", progressDeadlineSeconds: 36000), cancellationToken: cancellationToken);
        await context.CreateAsync(FluxObjects.Repository(context, "my-app", context.RepositoryUrl("my-app"), FluxObjects.Semver(">=2.0.0")), cancellationToken);
        await context.WaitForArtifactAsync("my-app", "v2.2.0", cancellationToken);
        await context.CreateAsync(FluxObjects.Kustomization(context, "apps", "my-app", timeout: Timeout, wait: true), cancellationToken);
    }
}
