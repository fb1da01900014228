using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Testing;
using static Weir.Controllers.Tests.Kustomizations.KustomizeControllerHarness;

namespace Weir.Controllers.Tests.Kustomizations;

/// <summary>
/// Drift end to end: with <c>spec.ignore</c> an autoscaler-owned replica count is neither drift nor reverted; without
/// it, what kubectl changed is undone, including fields the manifests do not set (Flux's field-manager cleanup).
/// </summary>
public sealed class DriftIgnoreReconcileTests(KustomizeControllerHarness harness) : IClassFixture<KustomizeControllerHarness>
{
    private static readonly JsonObject IgnoreReplicas = new()
    {
        ["ignore"] = JsonNode.Parse("""[{"paths": ["/spec/replicas"], "target": {"kind": "Deployment"}}]"""),
    };

    private static Dictionary<string, string> App(string ns, string image) => new()
    {
        ["app.yaml"] = $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: {ns}
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                  - name: app
                    image: {image}
            """,
    };

    /// <summary>Pushes and applies web:1 with <paramref name="extra"/> spec fields; returns once Ready.</summary>
    private async Task DeployAsync(string ns, JsonObject? extra)
    {
        await harness.CreateNamespaceAsync(ns);
        await harness.PushAsync(ns, "v1.0.0", App(ns, "web:1"));
        await harness.CreateSourceAsync(ns, ns);
        await harness.CreateKustomizationAsync(ns, ns, extra);
        await harness.WaitForReadyAsync(ns, IsTrue);
        Assert.Equal(2, await ReplicasAsync(ns));
    }

    private Task ScaleWithHpaAsync(string ns, int replicas) =>
        harness.Client.ApplyAsync(KubeResource.Deployment, JsonNode.Parse($$"""
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "{{ns}}"}, "spec": {"replicas": {{replicas}}} }
            """)!.AsObject(), "hpa", force: true);

    private async Task<JsonObject> DeploymentAsync(string ns) => (await harness.Client.GetAsync(KubeResource.Deployment, new ObjectKey(ns, "web")))!;

    private async Task<int> ReplicasAsync(string ns) => (await DeploymentAsync(ns))["spec"]!["replicas"]!.GetValue<int>();

    private async Task<string> ImageAsync(string ns) =>
        (await DeploymentAsync(ns))["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    private async Task<List<string>> EventMessagesAsync(string name) =>
        [.. (await harness.EventsAsync(name)).Select(e => e["message"]!.GetValue<string>())];

    /// <summary>Requests a reconcile and waits until the history counts one more reconciliation of the same revision.</summary>
    private async Task ReconcileAsync(string name)
    {
        static long Count(JsonObject k) => k["status"]?["history"]?[0]?["totalReconciliations"]?.GetValue<long>() ?? 0;
        var before = Count(await harness.GetAsync(name));
        await harness.RequestReconcileAsync(KubeResource.Kustomization, name);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Count(await harness.GetAsync(name)) <= before)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Kustomization {name} did not reconcile again; errors: {string.Join("\n", harness.Errors)}");
            await Task.Delay(100);
        }
    }

    /// <summary>Pushes v2.0.0 with another image and waits until it is applied.</summary>
    private async Task UpgradeAsync(string ns)
    {
        var digest = await harness.PushAsync(ns, "v2.0.0", App(ns, "web:2"));
        await harness.RequestReconcileAsync(KubeResource.OCIRepository, ns);
        await harness.WaitForReadyAsync(ns, c => IsTrue(c) && Message(c) == $"Applied revision: v2.0.0@{digest}");
    }

    [Fact]
    public async Task ReplicasOwnedByAnAutoscalerAreNotDriftAndSurviveAnUpgrade()
    {
        const string ns = "ignore-hpa";
        await DeployAsync(ns, IgnoreReplicas);
        await ScaleWithHpaAsync(ns, 5);

        await ReconcileAsync(ns);
        Assert.Equal(5, await ReplicasAsync(ns));
        Assert.DoesNotContain("Deployment/ignore-hpa/web configured", await EventMessagesAsync(ns));

        await UpgradeAsync(ns);
        Assert.Equal("web:2", await ImageAsync(ns));
        Assert.Equal(5, await ReplicasAsync(ns));
        Assert.Contains("Deployment/ignore-hpa/web configured", await EventMessagesAsync(ns));
        var replicaOwners = (await DeploymentAsync(ns))["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>()
            .Where(e => e["fieldsV1"]?["f:spec"]?["f:replicas"] is not null).Select(e => e["manager"]!.GetValue<string>()).ToList();
        Assert.Equal(["hpa"], replicaOwners);
    }

    [Fact]
    public async Task WithoutTheRuleTheSameDriftIsCorrected()
    {
        const string ns = "ignore-none";
        await DeployAsync(ns, null);
        await ScaleWithHpaAsync(ns, 5);

        await ReconcileAsync(ns);
        Assert.Equal(2, await ReplicasAsync(ns));
        Assert.Contains("Deployment/ignore-none/web configured", await EventMessagesAsync(ns));
    }

    [Fact]
    public async Task KubectlScaleIsKeptWhenApplyingOtherChanges()
    {
        const string ns = "ignore-kubectl";
        await DeployAsync(ns, IgnoreReplicas);
        var (code, _, stderr) = await Kubectl.RunAsync(harness.Kubeconfig, 32, "scale", "deployment/web", "-n", ns, "--replicas=3");
        Assert.True(code == 0, stderr);
        Assert.Equal(3, await ReplicasAsync(ns));

        await ReconcileAsync(ns);
        Assert.Equal(3, await ReplicasAsync(ns));
        Assert.DoesNotContain("Deployment/ignore-kubectl/web configured", await EventMessagesAsync(ns));

        await UpgradeAsync(ns);
        Assert.Equal("web:2", await ImageAsync(ns));
        Assert.Equal(3, await ReplicasAsync(ns));
    }

    private async Task<JsonArray?> EnvAsync(string ns) =>
        (await DeploymentAsync(ns))["spec"]!["template"]!["spec"]!["containers"]![0]!["env"] as JsonArray;

    [Fact]
    public async Task FieldsAddedWithKubectlAreRemovedAtTheNextReconcile()
    {
        const string ns = "kubectl-drift";
        await DeployAsync(ns, null);
        var (code, _, stderr) = await Kubectl.RunAsync(harness.Kubeconfig, 32, "set", "env", "deployment/web", "-n", ns, "DEBUG=1");
        Assert.True(code == 0, stderr);
        Assert.NotNull(await EnvAsync(ns));

        await ReconcileAsync(ns);
        Assert.Null(await EnvAsync(ns));
        Assert.Contains("Deployment/kubectl-drift/web configured", await EventMessagesAsync(ns));
        Assert.DoesNotContain((await DeploymentAsync(ns))["metadata"]!["managedFields"]!.AsArray(),
            e => e!["manager"]!.GetValue<string>().StartsWith("kubectl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheMergeAnnotationKeepsFieldsAddedWithKubectl()
    {
        const string ns = "kubectl-merge";
        await harness.CreateNamespaceAsync(ns);
        var app = App(ns, "web:1");
        app["app.yaml"] = app["app.yaml"].Replace("  namespace: kubectl-merge\n",
            "  namespace: kubectl-merge\n  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: Merge\n", StringComparison.Ordinal);
        await harness.PushAsync(ns, "v1.0.0", app);
        await harness.CreateSourceAsync(ns, ns);
        await harness.CreateKustomizationAsync(ns, ns);
        await harness.WaitForReadyAsync(ns, IsTrue);
        Assert.Equal("Merge", (await DeploymentAsync(ns)).Annotation("kustomize.toolkit.fluxcd.io/ssa"));

        var (code, _, stderr) = await Kubectl.RunAsync(harness.Kubeconfig, 32, "set", "env", "deployment/web", "-n", ns, "DEBUG=1");
        Assert.True(code == 0, stderr);
        await ReconcileAsync(ns);
        Assert.Equal("DEBUG", (await EnvAsync(ns))?[0]?["name"]?.GetValue<string>());
    }

    [Fact]
    public async Task AnInvalidPointerMakesTheKustomizationNotReady()
    {
        const string ns = "ignore-invalid";
        await harness.CreateNamespaceAsync(ns);
        await harness.PushAsync(ns, "v1.0.0", App(ns, "web:1"));
        await harness.CreateSourceAsync(ns, ns);
        await harness.CreateKustomizationAsync(ns, ns, new JsonObject
        {
            ["ignore"] = JsonNode.Parse("""[{"paths": ["/spec/replicas"]}, {"paths": ["spec/template"], "target": {"kind": "Deployment"}}]"""),
        });

        // Before the source has an artifact the Kustomization is not ready either ("Source artifact not found"):
        // wait for the rule's own failure.
        var ready = await harness.WaitForReadyAsync(ns, c => IsFalse(c) && c["reason"]!.GetValue<string>() == "ReconciliationFailed");
        Assert.Equal("invalid ignore rule spec.ignore[1]: path 'spec/template' is not a valid JSON pointer: JSON pointer 'spec/template' does not start with '/'",
            Message(ready));
        Assert.Null(await harness.Client.GetAsync(KubeResource.Deployment, new ObjectKey(ns, "web")));
        Assert.Empty(harness.Errors);
    }
}
