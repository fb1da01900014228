using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Testing;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.Kustomizations;

/// <summary>A Kustomization whose source is a GitRepository served by a real git server (git http-backend).</summary>
public sealed class GitSourceTests(KustomizeControllerHarness harness, GitServerFixture git)
    : IClassFixture<KustomizeControllerHarness>, IClassFixture<GitServerFixture>
{
    private static string ConfigMap(string value) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: git-e2e\ndata:\n  value: \"{value}\"\n";

    [Fact]
    public async Task AKustomizationAppliesEachNewCommitOfItsGitRepository()
    {
        await harness.CreateNamespaceAsync("git-e2e");
        var repo = await git.CreateRepositoryAsync("e2e");
        var first = await repo.CommitAsync(new Dictionary<string, string?>
        {
            ["apps/kustomization.yaml"] = "resources:\n- settings.yaml\n",
            ["apps/settings.yaml"] = ConfigMap("one"),
        });
        await harness.Client.CreateAsync(KubeResource.GitRepository, new JsonObject
        {
            ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
            ["kind"] = "GitRepository",
            ["metadata"] = new JsonObject { ["name"] = "e2e", ["namespace"] = "flux-system" },
            ["spec"] = new JsonObject { ["url"] = git.AnonymousUrl("e2e"), ["interval"] = "10m", ["ref"] = new JsonObject { ["branch"] = "main" } },
        });
        await harness.CreateKustomizationAsync("git-e2e", "e2e", new JsonObject
        {
            ["sourceRef"] = new JsonObject { ["kind"] = "GitRepository", ["name"] = "e2e" },
            ["path"] = "./apps",
        });

        var ready = await harness.WaitForReadyAsync("git-e2e", c => IsTrue(c) && Message(c).Contains(first));
        Assert.Equal($"Applied revision: main@sha1:{first}", Message(ready));
        Assert.Equal("one", (await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("git-e2e", "settings")))!["data"]!["value"]!.GetValue<string>());

        var second = await repo.CommitAsync(new Dictionary<string, string?> { ["apps/settings.yaml"] = ConfigMap("two") });
        await harness.RequestReconcileAsync(KubeResource.GitRepository, "e2e");
        await harness.WaitForReadyAsync("git-e2e", c => IsTrue(c) && Message(c) == $"Applied revision: main@sha1:{second}");
        Assert.Equal("two", (await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("git-e2e", "settings")))!["data"]!["value"]!.GetValue<string>());
    }
}
