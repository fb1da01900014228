using System.Text.Json.Nodes;
using Weir.Controllers.Kustomizations;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Controllers.Tests.Kustomizations;

/// <summary><c>--no-cross-namespace-refs</c>: a Kustomization may only use a source of its own namespace.</summary>
public sealed class CrossNamespaceRefsTests : IAsyncLifetime
{
    private readonly EmbeddedCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task ASourceInAnotherNamespaceIsRefusedAndStalls()
    {
        await _cluster.Client.CreateAsync(KubeResource.Namespace, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "team-a" } });
        await CreateAsync("cross", sourceNamespace: "flux-system");
        await CreateAsync("local", sourceNamespace: null);
        var reconciler = new KustomizationReconciler(_cluster.Client, new EventRecorder(_cluster.Client, KustomizationReconciler.ControllerName),
            new KustomizationOptions { NoCrossNamespaceRefs = true });

        var crossResult = await reconciler.ReconcileAsync(new ObjectKey("team-a", "cross"), default);
        var localResult = await reconciler.ReconcileAsync(new ObjectKey("team-a", "local"), default);

        var cross = await ConditionsAsync("cross");
        Assert.Equal(("False", "AccessDenied", "can't access 'OCIRepository/flux-system/app', cross-namespace references have been blocked"), cross["Ready"]);
        Assert.Equal("True", cross["Stalled"].Status);
        Assert.Null(crossResult.RequeueAfter);

        // The same-namespace reference is not blocked: it gets as far as looking the source up.
        var local = await ConditionsAsync("local");
        Assert.Equal(("False", "ArtifactFailed", "ocirepositories.source.toolkit.fluxcd.io \"app\" not found"), local["Ready"]);
        Assert.False(local.ContainsKey("Stalled"));
        Assert.NotNull(localResult.RequeueAfter);
    }

    private Task<JsonObject> CreateAsync(string name, string? sourceNamespace)
    {
        var sourceRef = new JsonObject { ["kind"] = "OCIRepository", ["name"] = "app" };
        if (sourceNamespace is not null)
        {
            sourceRef["namespace"] = sourceNamespace;
        }

        return _cluster.Client.CreateAsync(KubeResource.Kustomization, new JsonObject
        {
            ["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1",
            ["kind"] = "Kustomization",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "team-a" },
            ["spec"] = new JsonObject { ["interval"] = "10m", ["prune"] = true, ["sourceRef"] = sourceRef },
        });
    }

    private async Task<Dictionary<string, (string Status, string Reason, string Message)>> ConditionsAsync(string name)
    {
        var obj = await _cluster.Client.GetAsync(KubeResource.Kustomization, new ObjectKey("team-a", name));
        return (obj!["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(
            c => c["type"]!.GetValue<string>(),
            c => (c["status"]!.GetValue<string>(), c["reason"]!.GetValue<string>(), c["message"]!.GetValue<string>()));
    }
}
