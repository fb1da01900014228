using Weir.Runtime.Kube;

namespace Weir.Cli.Scenarios;

/// <summary>
/// Seeds: <c>Service "my-app" is invalid: spec.ports[0]…</c> — v1.1.0 runs; v1.2.0 has a port typo (80800) the API
/// server refuses, so nothing of v1.2.0 is applied and v1.1.0 keeps running.
/// </summary>
public sealed class InvalidObjectScenario : Scenario
{
    public override string Name => "invalid-object";

    public override string Description => "v1.2.0's Service has port 80800; the API server refuses it and v1.1.0 stays applied";

    public const int InvalidPort = 80800;

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        await context.PushAsync("my-app", "v1.1.0", AppManifests.WebApp("my-app", "v1.1.0"), cancellationToken: cancellationToken);
        await context.CreateAsync(FluxObjects.Repository(context, "my-app", context.RepositoryUrl("my-app"), FluxObjects.Semver(">=1.0.0")), cancellationToken);
        await context.WaitForArtifactAsync("my-app", "v1.1.0", cancellationToken);
        await context.CreateAsync(FluxObjects.Kustomization(context, "apps", "my-app"), cancellationToken);
        await context.WaitForAppliedAsync("apps", "v1.1.0", cancellationToken);
        await context.PushAsync("my-app", "v1.2.0", AppManifests.WebApp("my-app", "v1.2.0", servicePort: InvalidPort), cancellationToken: cancellationToken);
        await context.RequestReconcileAsync(KubeResource.OCIRepository, "my-app", cancellationToken);
    }
}
