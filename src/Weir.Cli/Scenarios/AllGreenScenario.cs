namespace Weir.Cli.Scenarios;

/// <summary>Seeds: "Your change is live" — my-app v2.1.0 and infrastructure v3.0.1 applied, everything READY True.</summary>
public sealed class AllGreenScenario : Scenario
{
    public override string Name => "all-green";

    public override string Description => "my-app v2.1.0 and infrastructure v3.0.1 applied and healthy: everything READY True";

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        await context.PushAsync("infrastructure", "v3.0.1", AppManifests.Infrastructure("v3.0.1"), cancellationToken: cancellationToken);
        await context.PushAsync("my-app", "v2.0.0", AppManifests.WebApp("my-app", "v2.0.0"), cancellationToken: cancellationToken);
        await context.PushAsync("my-app", "v2.1.0", AppManifests.WebApp("my-app", "v2.1.0"), cancellationToken: cancellationToken);
        await context.CreateAsync(FluxObjects.Repository(context, "infrastructure", context.RepositoryUrl("infrastructure"), FluxObjects.Semver(">=3.0.0")), cancellationToken);
        await context.CreateAsync(FluxObjects.Repository(context, "my-app", context.RepositoryUrl("my-app"), FluxObjects.Semver(">=2.0.0")), cancellationToken);
        await context.WaitForArtifactAsync("infrastructure", "v3.0.1", cancellationToken);
        await context.WaitForArtifactAsync("my-app", "v2.1.0", cancellationToken);
        await context.CreateAsync(FluxObjects.Kustomization(context, "infrastructure", "infrastructure", wait: true), cancellationToken);
        await context.CreateAsync(FluxObjects.Kustomization(context, "apps", "my-app", wait: true), cancellationToken);
    }
}
