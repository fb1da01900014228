using Weir.Cluster.Auth;

namespace Weir.Cluster.Tests;

/// <summary>
/// The seeds' scenario: a developer without rights in flux-system runs `kubectl get ocirepositories -n flux-system`
/// and real kubectl prints Kubernetes' Forbidden line.
/// </summary>
public sealed class FluxForbiddenTests(Weir.Testing.EmbeddedCluster cluster) : IClassFixture<Weir.Testing.EmbeddedCluster>
{
    [Theory]
    [InlineData(27)]
    [InlineData(33)]
    public async Task DeveloperWithoutFluxSystemRightsSeesForbidden(int minor)
    {
        var dataDir = cluster.DataDir;
        var work = TestEnv.TempDir("weir-flux-forbidden-");
        var admin = new Kubectl(Weir.Testing.Kubectl.Path(minor), cluster.Server.KubeconfigPath!, work);
        await admin.RunAsync("create", "ns", "apps");
        var dev = ClusterUsers.Add(dataDir, "dev", "view", "apps");
        File.WriteAllText(Path.Combine(work, "binding.json"), dev.Binding.ToJsonString());
        await admin.OkAsync("apply", "-f", "binding.json");
        var k = admin.As(dev.KubeconfigPath);

        var denied = await k.RunAsync("get", "ocirepositories", "-n", "flux-system");
        Assert.Equal(1, denied.Code);
        Assert.Contains("Error from server (Forbidden): ocirepositories.source.toolkit.fluxcd.io is forbidden: User \"dev\" cannot list resource \"ocirepositories\" in API group \"source.toolkit.fluxcd.io\" in the namespace \"flux-system\"",
            denied.Err, StringComparison.Ordinal);
        var named = await k.RunAsync("get", "kustomization", "podinfo", "-n", "flux-system");
        Assert.Contains("Error from server (Forbidden): kustomizations.kustomize.toolkit.fluxcd.io \"podinfo\" is forbidden: User \"dev\" cannot get resource \"kustomizations\" in API group \"kustomize.toolkit.fluxcd.io\" in the namespace \"flux-system\"",
            named.Err, StringComparison.Ordinal);

        // The view role covers Flux's kinds in the developer's own namespace.
        Assert.Contains("No resources found in apps namespace.", (await k.RunAsync("get", "ocirepositories", "-n", "apps")).Err, StringComparison.Ordinal);
        Directory.Delete(work, recursive: true);
    }
}
