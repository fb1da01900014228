namespace Weir.Cli.Scenarios;

/// <summary>
/// Seeds: "Production should be pinned" — the OCIRepository pins v1.5.0; v1.6.0 sits in the registry, available but
/// not deployed, until someone changes the pin (<c>kubectl patch ocirepository my-app … ref.tag=v1.6.0</c>).
/// </summary>
public sealed class PinnedProductionScenario : Scenario
{
    public override string Name => "pinned-production";

    public override string Description => "production pins my-app to v1.5.0; v1.6.0 is in the registry but not deployed";

    public const string PinnedTag = "v1.5.0";

    public const string NewTag = "v1.6.0";

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        await context.PushAsync("my-app", PinnedTag, AppManifests.WebApp("my-app", PinnedTag), cancellationToken: cancellationToken);
        await context.PushAsync("my-app", NewTag, AppManifests.WebApp("my-app", NewTag), cancellationToken: cancellationToken);
        await context.CreateAsync(FluxObjects.Repository(context, "my-app", context.RepositoryUrl("my-app"), FluxObjects.Tag(PinnedTag)), cancellationToken);
        await context.WaitForArtifactAsync("my-app", PinnedTag, cancellationToken);
        await context.CreateAsync(FluxObjects.Kustomization(context, "production", "my-app"), cancellationToken);
    }
}
