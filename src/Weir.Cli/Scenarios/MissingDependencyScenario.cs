using Weir.Core.Api.Meta;

namespace Weir.Cli.Scenarios;

/// <summary>
/// Seeds: "a reference to … a resource that doesn't exist" and "added a resource before its dependency was applied".
/// infrastructure v3.1.0 adds a Service to the <c>payments</c> namespace nobody created, so the API server refuses it
/// (<c>namespaces "payments" not found</c>); apps depends on infra and waits: <c>dependency '…/infra' is not ready</c>.
/// </summary>
public sealed class MissingDependencyScenario : Scenario
{
    public override string Name => "missing-dependency";

    public override string Description => "infra refers to a namespace that does not exist; apps dependsOn infra: dependency is not ready";

    public const string MissingNamespace = "payments";

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        var infrastructure = AppManifests.Infrastructure("v3.1.0", context.AppNamespace);
        infrastructure["kustomization.yaml"] += "\n- payments-api.yaml\n";
        infrastructure["payments-api.yaml"] = $"""
            apiVersion: v1
            kind: Service
            metadata:
              name: api
              namespace: {MissingNamespace}
            spec:
              selector:
                app: payments-api
              ports:
              - name: http
                port: 80
                targetPort: http
            """;
        await context.PushAsync("infrastructure", "v3.1.0", infrastructure, cancellationToken: cancellationToken);
        await context.PushAsync("my-app", "v2.1.0", AppManifests.WebApp("my-app", "v2.1.0"), cancellationToken: cancellationToken);
        await context.CreateAsync(FluxObjects.Repository(context, "infrastructure", context.RepositoryUrl("infrastructure"), FluxObjects.Semver(">=3.0.0")), cancellationToken);
        await context.CreateAsync(FluxObjects.Repository(context, "my-app", context.RepositoryUrl("my-app"), FluxObjects.Semver(">=2.0.0")), cancellationToken);
        await context.WaitForArtifactAsync("infrastructure", "v3.1.0", cancellationToken);
        await context.WaitForArtifactAsync("my-app", "v2.1.0", cancellationToken);
        // infra sets no target namespace: its manifests say where they go, like a real infrastructure repository.
        await context.CreateAsync(FluxObjects.Kustomization(context, "infra", "infrastructure", targetNamespace: null), cancellationToken);
        await context.CreateAsync(FluxObjects.Kustomization(context, "apps", "my-app",
            dependsOn: [new DependencyReference { Name = "infra" }]), cancellationToken);
    }
}
