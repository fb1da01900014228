using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.Kustomizations;

/// <summary>
/// Kinds public fleets carry in their root Kustomization (issue 21 cases 1 and 6): Flux's notification objects
/// apply, a Receiver gets its webhook path, and an ExternalArtifact is a source a Kustomization applies from.
/// </summary>
public sealed class FleetKindsTests(KustomizeControllerHarness harness) : IClassFixture<KustomizeControllerHarness>
{
    private const string Notifications = """
        apiVersion: notification.toolkit.fluxcd.io/v1beta3
        kind: Provider
        metadata:
          name: alertmanager
          namespace: flux-system
        spec:
          type: alertmanager
          address: http://alertmanager.monitoring.svc:9093/api/v2/alerts/
        ---
        apiVersion: notification.toolkit.fluxcd.io/v1beta3
        kind: Alert
        metadata:
          name: alertmanager
          namespace: flux-system
        spec:
          providerRef:
            name: alertmanager
          eventSeverity: error
          eventSources:
            - kind: GitRepository
              name: '*'
            - kind: Kustomization
              name: '*'
          exclusionList:
            - "error.*lookup github\\.com"
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: github-webhook-token
          namespace: flux-system
        stringData:
          token: s3cr3t-t0ken
        ---
        apiVersion: notification.toolkit.fluxcd.io/v1
        kind: Receiver
        metadata:
          name: github-receiver
          namespace: flux-system
        spec:
          type: github
          events: ["ping", "push"]
          secretRef:
            name: github-webhook-token
          resources:
            - apiVersion: source.toolkit.fluxcd.io/v1
              kind: GitRepository
              name: flux-system
        """;

    [Fact]
    public async Task AlertProviderAndReceiverInARootKustomizationApplyAndTheReceiverGetsItsWebhookPath()
    {
        await harness.PushAsync("fleet-notifications", "v1.0.0", new Dictionary<string, string> { ["notifications.yaml"] = Notifications });
        await harness.CreateSourceAsync("fleet-notifications", "fleet-notifications");
        await harness.CreateKustomizationAsync("fleet-notifications", "fleet-notifications");

        var ready = await harness.WaitForReadyAsync("fleet-notifications", Settled);
        Assert.True(IsTrue(ready), Message(ready));
        var alert = await harness.Client.GetAsync(new KubeResource("notification.toolkit.fluxcd.io", "v1beta3", "alerts", "Alert"), new ObjectKey("flux-system", "alertmanager"));
        Assert.Equal("error", alert!["spec"]!["eventSeverity"]!.GetValue<string>());
        Assert.Null(alert["status"]);

        var receiver = await ReconcileReceiverAsync("github-receiver");
        var expected = "/hook/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("s3cr3t-t0ken" + "github-receiver" + "flux-system")));
        Assert.Equal(expected, receiver["status"]!["webhookPath"]!.GetValue<string>());
        var receiverReady = Ready(receiver)!;
        Assert.Equal(("True", "Succeeded", $"Receiver initialized for path: {expected}"),
            (receiverReady["status"]!.GetValue<string>(), receiverReady["reason"]!.GetValue<string>(), Message(receiverReady)));
        Assert.Equal(receiver.Generation(), receiver["status"]!["observedGeneration"]!.GetValue<long>());
        Assert.DoesNotContain("s3cr3t-t0ken", receiver.ToJsonString());
    }

    [Fact]
    public async Task AReceiverWithoutItsSecretIsNotReadyWithTokenNotFound()
    {
        await harness.Client.CreateAsync(KubeResource.Receiver, JsonNode.Parse("""
            {"apiVersion":"notification.toolkit.fluxcd.io/v1","kind":"Receiver",
             "metadata":{"name":"no-token","namespace":"flux-system"},
             "spec":{"type":"generic","secretRef":{"name":"missing-token"},"resources":[{"kind":"Kustomization","name":"apps"}]}}
            """)!.AsObject());

        var receiver = await ReconcileReceiverAsync("no-token");

        var ready = Ready(receiver)!;
        Assert.Equal(("False", "TokenNotFound", "unable to read token from secret 'flux-system/missing-token' error: secrets \"missing-token\" not found"),
            (ready["status"]!.GetValue<string>(), ready["reason"]!.GetValue<string>(), Message(ready)));
        Assert.Null(receiver["status"]!["webhookPath"]);
    }

    [Fact]
    public async Task AKustomizationAppliesAnExternalArtifact()
    {
        // Any artifact the artifact server serves will do: here the one an OCIRepository stored.
        await harness.PushAsync("fleet-external", "v3.0.0", new Dictionary<string, string>
        {
            ["apps/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-external\n  namespace: flux-system\ndata:\n  answer: \"42\"\n",
        });
        await harness.CreateSourceAsync("fleet-external", "fleet-external");
        var artifact = await StoredArtifactAsync("fleet-external");
        await harness.Client.CreateAsync(KubeResource.ExternalArtifact, JsonNode.Parse("""
            {"apiVersion":"source.toolkit.fluxcd.io/v1","kind":"ExternalArtifact",
             "metadata":{"name":"apps","namespace":"flux-system"},
             "spec":{"sourceRef":{"apiVersion":"source.extensions.fluxcd.io/v1beta1","kind":"ArtifactGenerator","name":"apps"}}}
            """)!.AsObject());
        await harness.Client.PatchAsync(KubeResource.ExternalArtifact, new ObjectKey("flux-system", "apps"), new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["artifact"] = artifact.DeepClone(),
                ["conditions"] = JsonNode.Parse($$"""[{"type":"Ready","status":"True","reason":"Succeeded","message":"ok","lastTransitionTime":"2026-01-01T00:00:00Z"}]"""),
            },
        }, "merge", status: true);

        await harness.CreateKustomizationAsync("fleet-external", "apps", new JsonObject
        {
            ["sourceRef"] = new JsonObject { ["kind"] = "ExternalArtifact", ["name"] = "apps" },
            ["path"] = "./apps",
        });

        var ready = await harness.WaitForReadyAsync("fleet-external", Settled);
        var revision = artifact["revision"]!.GetValue<string>();
        Assert.Equal($"Applied revision: {revision}", Message(ready));
        var cm = await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("flux-system", "from-external"));
        Assert.Equal("42", cm!["data"]!["answer"]!.GetValue<string>());
    }

    [Fact]
    public async Task AKustomizationWaitsForAnExternalArtifactWithoutArtifact()
    {
        await harness.Client.CreateAsync(KubeResource.ExternalArtifact, JsonNode.Parse("""
            {"apiVersion":"source.toolkit.fluxcd.io/v1","kind":"ExternalArtifact","metadata":{"name":"pending","namespace":"flux-system"},"spec":{}}
            """)!.AsObject());

        await harness.CreateKustomizationAsync("fleet-pending", "pending", new JsonObject
        {
            ["sourceRef"] = new JsonObject { ["kind"] = "ExternalArtifact", ["name"] = "pending" },
        });

        var ready = await harness.WaitForReadyAsync("fleet-pending", IsFalse);
        Assert.Equal("ArtifactFailed", ready["reason"]!.GetValue<string>());
        Assert.StartsWith("Source artifact not found, retrying in ", Message(ready));
    }

    /// <summary>The Receiver once the controller (the harness runs every controller) has reconciled its generation.</summary>
    private Task<JsonObject> ReconcileReceiverAsync(string name) =>
        WaitForAsync(() => harness.Client.GetAsync(KubeResource.Receiver, new ObjectKey("flux-system", name)),
            r => Ready(r)?["observedGeneration"]?.GetValue<long>() == r.Generation(), $"Receiver {name} reconciled");

    private async Task<JsonObject> StoredArtifactAsync(string source)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var obj = await harness.Client.GetAsync(KubeResource.OCIRepository, new ObjectKey("flux-system", source));
            if (obj?["status"]?["artifact"] is JsonObject artifact)
            {
                return artifact;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"OCIRepository {source} stored no artifact; errors: {string.Join("\n", harness.Errors)}");
    }

    /// <summary>Ready True, or False for a reason other than the wait for a source artifact (which passes by itself).</summary>
    private static bool Settled(JsonObject ready) => IsTrue(ready) || (IsFalse(ready) && Reason(ready) != ConditionReasons.ArtifactFailed);
}
