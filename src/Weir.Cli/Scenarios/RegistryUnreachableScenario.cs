using Weir.Runtime.Kube;

namespace Weir.Cli.Scenarios;

/// <summary>
/// Seeds: "Network policy blocking Flux from reaching the registry". v1.0.0 is applied from a registry that then goes
/// away; the next poll fails to connect, the OCIRepository turns READY False and apps keeps v1.0.0.
/// </summary>
public sealed class RegistryUnreachableScenario : Scenario
{
    public override string Name => "registry-unreachable";

    public override string Description => "the registry went away after v1.0.0 was applied; the OCIRepository cannot connect";

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        var registry = await context.StartRegistryAsync(auth: null, cancellationToken);
        await context.PushAsync("my-app", "v1.0.0", AppManifests.WebApp("my-app", "v1.0.0"), registry.Host, cancellationToken: cancellationToken);
        await context.CreateAsync(FluxObjects.Repository(context, "my-app", context.RepositoryUrl("my-app", registry.Host), FluxObjects.Semver(">=1.0.0")), cancellationToken);
        await context.WaitForArtifactAsync("my-app", "v1.0.0", cancellationToken);
        await context.CreateAsync(FluxObjects.Kustomization(context, "apps", "my-app"), cancellationToken);
        await context.WaitForAppliedAsync("apps", "v1.0.0", cancellationToken);
        await registry.StopAsync();
        context.Log.WriteLine($"  stopped the registry at {registry.Host}");
        await context.RequestReconcileAsync(KubeResource.OCIRepository, "my-app", cancellationToken);
    }
}
