using System.Text.Json.Nodes;
using Weir.Controllers.Tests.Kustomizations;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.ArtifactGenerators;

/// <summary>
/// The whole chain on the embedded stack: two OCIRepositories → an ArtifactGenerator composing them → its
/// ExternalArtifact → a Kustomization applying it. A new artifact of a source reaches the cluster at once (the
/// Kustomization watches ExternalArtifacts), not after the Kustomization's ten-minute interval.
/// </summary>
public sealed class GeneratedArtifactDeliveryTests(KustomizeControllerHarness harness) : IClassFixture<KustomizeControllerHarness>
{
    [Fact]
    public async Task AKustomizationAppliesAGeneratedArtifactAndFollowsItsSources()
    {
        await harness.CreateNamespaceAsync("composed");
        await harness.PushAsync("gen-app", "1.0.0", new Dictionary<string, string>
        {
            ["deploy/app.yaml"] = ConfigMap("app", "version", "1"),
            ["deploy/README.md"] = "not a manifest\n",
        });
        await harness.PushAsync("gen-env", "1.0.0", new Dictionary<string, string>
        {
            ["prod/env.yaml"] = ConfigMap("env", "tier", "prod"),
            ["dev/env.yaml"] = ConfigMap("env", "tier", "dev"),
        });
        await harness.CreateSourceAsync("gen-app", "gen-app");
        await harness.CreateSourceAsync("gen-env", "gen-env");
        await harness.Client.CreateAsync(KubeResource.ArtifactGenerator, new JsonObject
        {
            ["apiVersion"] = "source.extensions.fluxcd.io/v1beta1",
            ["kind"] = "ArtifactGenerator",
            ["metadata"] = new JsonObject { ["name"] = "composed", ["namespace"] = "flux-system" },
            ["spec"] = JsonNode.Parse("""
                {"sources":[{"alias":"app","kind":"OCIRepository","name":"gen-app"},{"alias":"env","kind":"OCIRepository","name":"gen-env"}],
                 "artifacts":[{"name":"composed","originRevision":"@app","copy":[
                   {"from":"@app/deploy/*.yaml","to":"@artifact/"},
                   {"from":"@env/prod/env.yaml","to":"@artifact/env.yaml"}]}]}
                """),
        });
        await harness.CreateKustomizationAsync("composed", "composed", new JsonObject
        {
            ["sourceRef"] = new JsonObject { ["kind"] = "ExternalArtifact", ["name"] = "composed" },
            ["targetNamespace"] = "composed",
        });

        var ready = await harness.WaitForReadyAsync("composed", IsTrue);
        var ea = (await harness.Client.GetAsync(KubeResource.ExternalArtifact, new ObjectKey("flux-system", "composed")))!;
        var first = ea["status"]!["artifact"]!["revision"]!.GetValue<string>();
        Assert.Equal($"Applied revision: {first}", Message(ready));
        Assert.Equal("1", await DataAsync("app", "version"));
        Assert.Equal("prod", await DataAsync("env", "tier"));
        Assert.Equal("1.0.0@sha1:0123456789abcdef0123456789abcdef01234567", (await harness.GetAsync("composed"))["status"]!["lastAppliedOriginRevision"]?.GetValue<string>());

        // A new version of one source: generator, ExternalArtifact and Kustomization follow within seconds.
        await harness.PushAsync("gen-app", "1.1.0", new Dictionary<string, string> { ["deploy/app.yaml"] = ConfigMap("app", "version", "2") });
        await harness.RequestReconcileAsync(KubeResource.OCIRepository, "gen-app");

        var applied = await WaitForAsync(() => harness.Client.GetAsync(KubeResource.Kustomization, new ObjectKey("flux-system", "composed")),
            k => Applied(k) is { } revision && revision != first, "the new generated revision applied", TimeSpan.FromSeconds(30));
        Assert.Equal("2", await DataAsync("app", "version"));
        Assert.Equal("prod", await DataAsync("env", "tier"));
        var regenerated = (await harness.Client.GetAsync(KubeResource.ExternalArtifact, new ObjectKey("flux-system", "composed")))!;
        Assert.Equal(regenerated["status"]!["artifact"]!["revision"]!.GetValue<string>(), Applied(applied));
    }

    private async Task<string?> DataAsync(string name, string key) =>
        (await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("composed", name)))?["data"]?[key]?.GetValue<string>();

    private static string ConfigMap(string name, string key, string value) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  {key}: \"{value}\"\n";
}
