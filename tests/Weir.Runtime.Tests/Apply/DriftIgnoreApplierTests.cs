using System.Text.Json.Nodes;
using Weir.Core.Api.Meta;
using Weir.Core.Objects;
using Weir.Runtime.Apply;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Runtime.Tests.Apply;

/// <summary><c>spec.ignore</c> in the server-side applier against the embedded API server's real managedFields.</summary>
public sealed class DriftIgnoreApplierTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>
{
    private ServerSideApplier Applier => new(cluster.Client, new ResourceMapper(cluster.Client), "kustomize-controller");

    private static JsonObject Deployment(string ns, string image, int replicas = 2) => JsonNode.Parse($$$"""
        {
          "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "{{{ns}}}"},
          "spec": {
            "replicas": {{{replicas}}},
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "{{{image}}}"}]}}
          }
        }
        """)!.AsObject();

    private static ApplyOptions IgnoreReplicas { get; } = new()
    {
        Ignore = [new IgnoreRule { Paths = ["/spec/replicas"], Target = new Selector { Kind = "Deployment" } }],
    };

    private async Task<JsonObject> GetAsync(string ns) => (await cluster.Client.GetAsync(KubeResource.Deployment, new ObjectKey(ns, "web")))!;

    private static List<string> Managers(JsonObject obj, string field) =>
        [.. obj["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>()
            .Where(e => e["fieldsV1"]?["f:spec"]?[field] is not null)
            .Select(e => $"{e["manager"]} {e["operation"]}")];

    private async Task CreateNamespaceAsync(string ns) =>
        await cluster.Client.CreateAsync(new KubeResource("", "v1", "namespaces", "Namespace", Namespaced: false),
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });

    [Fact]
    public async Task ReplicasOwnedByAnotherApplierAreNeitherDriftNorReverted()
    {
        await CreateNamespaceAsync("ignore-apply");
        var created = await Applier.ApplyAllStagedAsync([Deployment("ignore-apply", "web:1")], IgnoreReplicas);
        Assert.Equal("Deployment/ignore-apply/web created", created.ToString());
        Assert.Equal(2, (await GetAsync("ignore-apply"))["spec"]!["replicas"]!.GetValue<int>()); // created as written

        await cluster.Client.ApplyAsync(KubeResource.Deployment, JsonNode.Parse("""
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "ignore-apply"}, "spec": {"replicas": 5}}
            """)!.AsObject(), "hpa", force: true);
        var scaled = await GetAsync("ignore-apply");

        var again = await Applier.ApplyAllStagedAsync([Deployment("ignore-apply", "web:1")], IgnoreReplicas);
        Assert.Equal("Deployment/ignore-apply/web unchanged", again.ToString());
        var after = await GetAsync("ignore-apply");
        Assert.Equal(scaled.Generation(), after.Generation()); // status moves with the simulated rollout; the spec did not
        Assert.Equal(5, after["spec"]!["replicas"]!.GetValue<int>());

        var updated = await Applier.ApplyAllStagedAsync([Deployment("ignore-apply", "web:2")], IgnoreReplicas);
        Assert.Equal("Deployment/ignore-apply/web configured", updated.ToString());
        var live = await GetAsync("ignore-apply");
        Assert.Equal(5, live["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("web:2", live["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal(["hpa Apply"], Managers(live, "f:replicas"));

        var reverted = await Applier.ApplyAllStagedAsync([Deployment("ignore-apply", "web:2")], new ApplyOptions());
        Assert.Equal("Deployment/ignore-apply/web configured", reverted.ToString());
        Assert.Equal(2, (await GetAsync("ignore-apply"))["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task ReplicasChangedByAnUpdateKeepTheClusterValueWhenApplying()
    {
        await CreateNamespaceAsync("ignore-update");
        await Applier.ApplyAllStagedAsync([Deployment("ignore-update", "web:1")], IgnoreReplicas);
        await cluster.Client.PatchAsync(KubeResource.Deployment, new ObjectKey("ignore-update", "web"),
            new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 4 } }, "merge", fieldManager: "kubectl-edit");

        Assert.Equal("Deployment/ignore-update/web unchanged",
            (await Applier.ApplyAllStagedAsync([Deployment("ignore-update", "web:1")], IgnoreReplicas)).ToString());

        var updated = await Applier.ApplyAllStagedAsync([Deployment("ignore-update", "web:2")], IgnoreReplicas);
        Assert.Equal("Deployment/ignore-update/web configured", updated.ToString());
        var live = await GetAsync("ignore-update");
        Assert.Equal(4, live["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("web:2", live["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Contains("kustomize-controller Apply", Managers(live, "f:replicas"));
    }

    [Fact]
    public async Task ABadPointerStopsTheApplyBeforeAnythingIsWritten()
    {
        await CreateNamespaceAsync("ignore-bad");
        var options = new ApplyOptions { Ignore = [new IgnoreRule { Paths = ["/spec/replicas", "spec/template"] }] };
        var error = await Assert.ThrowsAsync<ApplyException>(() => Applier.ApplyAllStagedAsync([Deployment("ignore-bad", "web:1")], options));
        Assert.Equal("invalid ignore rule spec.ignore[0]: path 'spec/template' is not a valid JSON pointer: JSON pointer 'spec/template' does not start with '/'",
            error.Message);
        Assert.Null(await cluster.Client.GetAsync(KubeResource.Deployment, new ObjectKey("ignore-bad", "web")));
    }
}
