namespace Weir.Cli.Scenarios;

/// <summary>Seeds: READY False, <c>kustomize build failed: …</c> — a PR broke the YAML of one manifest.</summary>
public sealed class BuildFailedScenario : Scenario
{
    public override string Name => "build-failed";

    public override string Description => "v1.1.0 carries a deployment.yaml with a YAML syntax error: kustomize build failed";

    /// <summary>The manifest with the broken indentation a PR slipped in.</summary>
    public const string BrokenFile = "deployment.yaml";

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        var files = AppManifests.WebApp("my-app", "v1.1.0");
        files[BrokenFile] = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: my-app
            spec:
              replicas: 2
               selector:
                matchLabels:
                  app: my-app
            """;
        await context.PushAsync("my-app", "v1.1.0", files, cancellationToken: cancellationToken);
        await context.CreateAsync(FluxObjects.Repository(context, "my-app", context.RepositoryUrl("my-app"), FluxObjects.Semver(">=1.0.0")), cancellationToken);
        await context.WaitForArtifactAsync("my-app", "v1.1.0", cancellationToken);
        await context.CreateAsync(FluxObjects.Kustomization(context, "apps", "my-app"), cancellationToken);
    }
}
