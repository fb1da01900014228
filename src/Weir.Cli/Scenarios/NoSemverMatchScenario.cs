using System.Text.Json.Nodes;
using Weir.Runtime.Kube;

namespace Weir.Cli.Scenarios;

/// <summary>
/// Seeds: "No artifact tagged with a version satisfying the constraint (e.g., no v2.x.x exists yet — CI may not have
/// pushed successfully)". v1.4.0 is applied; the platform team moves the range to 2.x before CI published v2.0.0.
/// </summary>
public sealed class NoSemverMatchScenario : Scenario
{
    public override string Name => "no-semver-match";

    public override string Description => "the semver range moved to 2.x but only v1.x exists; apps keeps v1.4.0";

    public const string Range = "2.x";

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        await context.PushAsync("my-app", "v1.3.0", AppManifests.WebApp("my-app", "v1.3.0"), cancellationToken: cancellationToken);
        await context.PushAsync("my-app", "v1.4.0", AppManifests.WebApp("my-app", "v1.4.0"), cancellationToken: cancellationToken);
        await context.CreateAsync(FluxObjects.Repository(context, "my-app", context.RepositoryUrl("my-app"), FluxObjects.Semver("1.x")), cancellationToken);
        await context.WaitForArtifactAsync("my-app", "v1.4.0", cancellationToken);
        await context.CreateAsync(FluxObjects.Kustomization(context, "apps", "my-app"), cancellationToken);
        await context.WaitForAppliedAsync("apps", "v1.4.0", cancellationToken);
        await context.PatchAsync(KubeResource.OCIRepository, "my-app",
            new JsonObject { ["spec"] = new JsonObject { ["ref"] = new JsonObject { ["semver"] = Range } } }, cancellationToken);
    }
}
