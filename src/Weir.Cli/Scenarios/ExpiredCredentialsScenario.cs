using System.Text;
using System.Text.Json.Nodes;
using Weir.Oci.Auth;
using Weir.Runtime.Kube;

namespace Weir.Cli.Scenarios;

/// <summary>
/// Seeds: "Registry credentials expired (a platform team problem — they rotate secrets)". A registry that requires
/// login; v1.0.0 is applied with valid credentials, then the pull secret's token expires and CI pushes v1.1.0: the
/// OCIRepository turns READY False with the registry's 401, apps keeps v1.0.0.
/// </summary>
public sealed class ExpiredCredentialsScenario : Scenario
{
    public override string Name => "expired-credentials";

    public override string Description => "the registry pull secret expired after v1.0.0 was applied; v1.1.0 cannot be fetched";

    public const string SecretName = "registry-credentials";

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        var valid = new RegistryCredentials("ci-robot", Guid.NewGuid().ToString("N"));
        var registry = await context.StartRegistryAsync(valid, cancellationToken);
        await context.PushAsync("my-app", "v1.0.0", AppManifests.WebApp("my-app", "v1.0.0"), registry.Host, valid, cancellationToken);
        await context.CreateAsync(KubeResource.Secret, PullSecret(context.Namespace, registry.Host, valid), cancellationToken);
        await context.CreateAsync(FluxObjects.Repository(context, "my-app", context.RepositoryUrl("my-app", registry.Host),
            FluxObjects.Semver(">=1.0.0"), secretName: SecretName), cancellationToken);
        await context.WaitForArtifactAsync("my-app", "v1.0.0", cancellationToken);
        await context.CreateAsync(FluxObjects.Kustomization(context, "apps", "my-app"), cancellationToken);
        await context.WaitForAppliedAsync("apps", "v1.0.0", cancellationToken);

        // The token in the secret expires: the registry no longer accepts it.
        var expired = valid with { Password = "expired-" + Guid.NewGuid().ToString("N")[..8] };
        await context.Client.ReplaceAsync(KubeResource.Secret, WithVersion(
            PullSecret(context.Namespace, registry.Host, expired),
            await context.Client.GetAsync(KubeResource.Secret, new(context.Namespace, SecretName), cancellationToken)), cancellationToken);
        await context.PushAsync("my-app", "v1.1.0", AppManifests.WebApp("my-app", "v1.1.0"), registry.Host, valid, cancellationToken);
        await context.RequestReconcileAsync(KubeResource.OCIRepository, "my-app", cancellationToken);
    }

    /// <summary>A <c>kubernetes.io/dockerconfigjson</c> secret, as <c>kubectl create secret docker-registry</c> makes.</summary>
    public static JsonObject PullSecret(string ns, string host, RegistryCredentials credentials)
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
        var config = new JsonObject
        {
            ["auths"] = new JsonObject
            {
                [host] = new JsonObject { ["username"] = credentials.Username, ["password"] = credentials.Password, ["auth"] = auth },
            },
        };
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = SecretName, ["namespace"] = ns },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(config.ToJsonString())) },
        };
    }

    private static JsonObject WithVersion(JsonObject secret, JsonObject? existing)
    {
        secret["metadata"]!["resourceVersion"] = existing?["metadata"]?["resourceVersion"]?.DeepClone();
        return secret;
    }
}
