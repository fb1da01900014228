namespace Weir.Cli.Scenarios;

/// <summary>
/// Seeds, exercise 2: v1.6.0 was pushed after v1.5.0 was applied; the OCIRepository polls every 10 minutes, so apps
/// still shows <c>Applied revision: v1.5.0@…</c> until the next poll or a <c>weir reconcile source oci my-app</c>.
/// </summary>
public sealed class NotYetPolledScenario : Scenario
{
    public override string Name => "not-yet-polled";

    public override string Description => "v1.6.0 pushed after v1.5.0 was applied; the 10m poll has not seen it yet";

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        await context.PushAsync("my-app", "v1.5.0", AppManifests.WebApp("my-app", "v1.5.0"), cancellationToken: cancellationToken);
        await context.CreateAsync(FluxObjects.Repository(context, "my-app", context.RepositoryUrl("my-app"), FluxObjects.Semver(">=1.0.0"), interval: "10m"), cancellationToken);
        await context.WaitForArtifactAsync("my-app", "v1.5.0", cancellationToken);
        await context.CreateAsync(FluxObjects.Kustomization(context, "apps", "my-app"), cancellationToken);
        await context.WaitForAppliedAsync("apps", "v1.5.0", cancellationToken);
        await context.PushAsync("my-app", "v1.6.0", AppManifests.WebApp("my-app", "v1.6.0"), cancellationToken: cancellationToken);
    }
}
