using Weir.Cluster.Auth;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Cli.Scenarios;

/// <summary>
/// Seeds: "You May Not Have Access" — a developer <c>dev</c> may view the app's namespace but not <c>flux-system</c>,
/// so <c>kubectl get kustomization -n flux-system</c> answers <c>Error from server (Forbidden): …</c>.
/// </summary>
public sealed class ForbiddenScenario : Scenario
{
    public override string Name => "forbidden";

    public override string Description => "user dev can view the app's namespace only: kubectl get kustomization -n flux-system is Forbidden";

    public const string User = "dev";

    /// <summary>The key of <see cref="ScenarioContext.Outputs"/> holding dev's kubeconfig.</summary>
    public const string KubeconfigOutput = "kubeconfig of user dev";

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        await context.PushAsync("my-app", "v2.1.0", AppManifests.WebApp("my-app", "v2.1.0"), cancellationToken: cancellationToken);
        await context.CreateAsync(FluxObjects.Repository(context, "my-app", context.RepositoryUrl("my-app"), FluxObjects.Semver(">=2.0.0")), cancellationToken);
        await context.WaitForArtifactAsync("my-app", "v2.1.0", cancellationToken);
        await context.CreateAsync(FluxObjects.Kustomization(context, "apps", "my-app"), cancellationToken);

        var dataDir = context.ClusterDataDirectory ?? throw new InvalidOperationException("the forbidden scenario needs the embedded API server's data directory");
        var added = ClusterUsers.Add(dataDir, User, "view", context.AppNamespace);
        if (await context.Client.GetAsync(KubeResource.RoleBinding, added.Binding.Key(), cancellationToken) is null)
        {
            await context.CreateAsync(KubeResource.RoleBinding, added.Binding, cancellationToken);
        }

        context.Outputs[KubeconfigOutput] = added.KubeconfigPath;
        context.Log.WriteLine($"  user {User} may view namespace {context.AppNamespace} only; kubeconfig {added.KubeconfigPath}");
    }
}
