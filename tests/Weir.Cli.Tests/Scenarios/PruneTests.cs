using System.Text;
using Weir.Cli.Scenarios;
using Weir.Runtime.Kube;
using static Weir.Testing.StatusConditions;

namespace Weir.Cli.Tests.Scenarios;

/// <summary>Issue #8, 11: removing a manifest from the artifact deletes its object; a <c>prune: disabled</c> one stays.</summary>
[Collection(ScenarioStackCollection.Name)]
public sealed class PruneTests(ScenarioStack stack)
{
    [Fact]
    public async Task RemovedManifestIsDeletedAndPruneDisabledObjectStays()
    {
        await using var context = stack.NewContext("prune");
        await context.EnsureNamespaceAsync(context.Namespace, default);
        await context.EnsureNamespaceAsync(context.AppNamespace, default);
        await context.PushAsync("my-app", "v1.0.0", ConfigMaps(("settings", false), ("feature-flags", false), ("audit-keep", true)));
        await context.CreateAsync(FluxObjects.Repository(context, "my-app", context.RepositoryUrl("my-app"), FluxObjects.Semver(">=1.0.0")), default);
        await context.WaitForArtifactAsync("my-app", "v1.0.0", default);
        await context.CreateAsync(FluxObjects.Kustomization(context, "apps", "my-app"), default);
        await stack.WaitForAsync(context, KubeResource.Kustomization, "apps", o => IsReady(o, "True") && HasApplied(o, "v1.0.0"), "v1.0.0 applied");
        Assert.Equal(["audit-keep", "feature-flags", "settings"], await NamesAsync(context.AppNamespace));

        await context.PushAsync("my-app", "v1.1.0", ConfigMaps(("settings", false)));
        await context.RequestReconcileAsync(KubeResource.OCIRepository, "my-app", default);
        await stack.WaitForAsync(context, KubeResource.Kustomization, "apps", o => IsReady(o, "True") && HasApplied(o, "v1.1.0"), "v1.1.0 applied");
        Assert.Equal(["audit-keep", "settings"], await NamesAsync(context.AppNamespace));
    }

    private async Task<string[]> NamesAsync(string ns)
    {
        var rows = await KubectlTable.GetAsync(stack.Kubeconfig, "configmaps", "-n", ns, "-l", "kustomize.toolkit.fluxcd.io/name=apps");
        return [.. rows.Select(r => r["NAME"]).Order(StringComparer.Ordinal)];
    }

    private static Dictionary<string, string> ConfigMaps(params (string Name, bool KeepOnPrune)[] maps)
    {
        var yaml = new StringBuilder();
        foreach (var (name, keep) in maps)
        {
            yaml.Append($"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n");
            if (keep)
            {
                yaml.Append("  annotations:\n    kustomize.toolkit.fluxcd.io/prune: disabled\n");
            }

            yaml.Append($"data:\n  owner: {name}\n");
        }

        return new() { ["configmaps.yaml"] = yaml.ToString() };
    }
}
