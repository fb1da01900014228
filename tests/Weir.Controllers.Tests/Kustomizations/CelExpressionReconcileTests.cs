using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.Kustomizations;

/// <summary><c>healthCheckExprs</c> and <c>dependsOn[].readyExpr</c>: CEL decides health and readiness, end to end.</summary>
public sealed class CelExpressionReconcileTests(KustomizeControllerHarness harness) : IClassFixture<KustomizeControllerHarness>
{
    private static readonly KubeResource Widgets = new("example.com", "v1", "widgets", "Widget");

    private static readonly JsonArray WidgetChecks = new(new JsonObject
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["current"] = "status.?phase.orValue('') == 'Ready'",
        ["failed"] = "status.?phase.orValue('') == 'Broken'",
    });

    private static string Widget(string ns, string name) => $"""
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          size: 1

        """;

    private async Task EnsureWidgetCrdAsync()
    {
        if (await harness.Client.GetAsync(KubeResource.CustomResourceDefinition, new ObjectKey("", "widgets.example.com")) is not null)
        {
            return;
        }

        await harness.Client.CreateAsync(KubeResource.CustomResourceDefinition, JsonNode.Parse("""
            {
              "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
              "metadata": {"name": "widgets.example.com"},
              "spec": {
                "group": "example.com", "scope": "Namespaced",
                "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
                "versions": [{"name": "v1", "served": true, "storage": true, "subresources": {"status": {}},
                  "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}]
              }
            }
            """)!.AsObject());
    }

    private async Task SetPhaseAsync(string ns, string name, string phase)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await harness.Client.GetAsync(Widgets, new ObjectKey(ns, name)) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Widget {ns}/{name} was never applied; errors: {string.Join("\n", harness.Errors)}");
            await Task.Delay(100);
        }

        await harness.Client.PatchAsync(Widgets, new ObjectKey(ns, name), new JsonObject { ["status"] = new JsonObject { ["phase"] = phase } }, "merge", status: true);
    }

    [Fact]
    public async Task HealthCheckExpressionsDecideTheHealthOfACustomResource()
    {
        await EnsureWidgetCrdAsync();
        await harness.CreateNamespaceAsync("cel-health");
        await harness.PushAsync("cel-health", "v1.0.0", new Dictionary<string, string>
        {
            ["widgets.yaml"] = Widget("cel-health", "good") + "---\n" + Widget("cel-health", "bad"),
        });
        await harness.CreateSourceAsync("cel-health", "cel-health");
        await harness.CreateKustomizationAsync("cel-good", "cel-health", new JsonObject
        {
            ["wait"] = false,
            ["healthChecks"] = new JsonArray(new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Widget", ["name"] = "good", ["namespace"] = "cel-health" }),
            ["healthCheckExprs"] = WidgetChecks.DeepClone(),
            ["prune"] = false,
        });

        // Without a phase none of the expressions is true: the check keeps waiting.
        await harness.WaitForReadyAsync("cel-good", c => Message(c) == "Reconciliation in progress");
        await Task.Delay(1500);
        Assert.Equal("Unknown", Ready(await harness.GetAsync("cel-good"))!["status"]!.GetValue<string>());

        await SetPhaseAsync("cel-health", "good", "Ready");
        var ready = await harness.WaitForReadyAsync("cel-good", IsTrue);
        Assert.StartsWith("Applied revision: v1.0.0@", Message(ready));

        await harness.CreateKustomizationAsync("cel-bad", "cel-health", new JsonObject
        {
            ["healthChecks"] = new JsonArray(new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Widget", ["name"] = "bad", ["namespace"] = "cel-health" }),
            ["healthCheckExprs"] = WidgetChecks.DeepClone(),
            ["prune"] = false,
        });
        await harness.WaitForReadyAsync("cel-bad", c => Message(c) == "Reconciliation in progress");
        await SetPhaseAsync("cel-health", "bad", "Broken");
        var failed = await harness.WaitForReadyAsync("cel-bad", IsFalse);
        Assert.Equal("HealthCheckFailed", failed["reason"]!.GetValue<string>());
        Assert.Matches(@"^health check failed after [0-9.]+m?s: failed early due to stalled resources: \[Widget/cel-health/bad status: 'Failed'\]$", Message(failed));
    }

    [Fact]
    public async Task AnExpressionThatDoesNotParseStallsTheKustomization()
    {
        await harness.CreateNamespaceAsync("cel-invalid");
        await harness.PushAsync("cel-invalid", "v1.0.0", new Dictionary<string, string> { ["cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: cel-invalid\n" });
        await harness.CreateSourceAsync("cel-invalid", "cel-invalid");
        await harness.CreateKustomizationAsync("cel-invalid", "cel-invalid", new JsonObject
        {
            ["wait"] = true,
            ["healthCheckExprs"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["current"] = "data.ready == " }),
        });

        var ready = await harness.WaitForReadyAsync("cel-invalid", IsFalse);
        Assert.Equal("InvalidCELExpression", ready["reason"]!.GetValue<string>());
        Assert.StartsWith("Reconciliation failed terminally due to configuration error: failed to create custom status evaluator for healthchecks[0]: " +
            "failed to parse the expression Current: Syntax error: ", Message(ready));
        var stalled = (await harness.GetAsync("cel-invalid"))["status"]!["conditions"]!.AsArray().OfType<JsonObject>()
            .Single(c => c["type"]!.GetValue<string>() == "Stalled");
        Assert.Equal("True", stalled["status"]!.GetValue<string>());
        Assert.Null(await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("cel-invalid", "c")));
    }

    [Fact]
    public async Task AReadyExpressionReplacesTheBuiltInDependencyCheck()
    {
        await harness.CreateNamespaceAsync("cel-deps");
        await harness.PushAsync("cel-deps", "v1.0.0", new Dictionary<string, string> { ["cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: cel-deps\n" });
        await harness.CreateSourceAsync("cel-deps", "cel-deps");
        await harness.CreateKustomizationAsync("cel-infra", "cel-deps");
        await harness.WaitForReadyAsync("cel-infra", IsTrue);
        await harness.CreateKustomizationAsync("cel-app", "cel-deps", new JsonObject
        {
            ["dependsOn"] = new JsonArray(new JsonObject
            {
                ["name"] = "cel-infra",
                ["readyExpr"] = "dep.metadata.?labels.?tier.orValue('') == 'gold' && self.metadata.name == 'cel-app'",
            }),
        });

        var waiting = await harness.WaitForReadyAsync("cel-app", IsFalse);
        Assert.Equal("DependencyNotReady", waiting["reason"]!.GetValue<string>());
        Assert.Equal("dependency 'flux-system/cel-infra' is not ready according to readyExpr eval", Message(waiting));

        await harness.Client.PatchAsync(KubeResource.Kustomization, new ObjectKey("flux-system", "cel-infra"),
            new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["tier"] = "gold" } } }, "merge");
        var ready = await harness.WaitForReadyAsync("cel-app", IsTrue);
        Assert.StartsWith("Applied revision: v1.0.0@", Message(ready));

        await harness.CreateKustomizationAsync("cel-broken-dep", "cel-deps", new JsonObject
        {
            ["dependsOn"] = new JsonArray(new JsonObject { ["name"] = "cel-infra", ["readyExpr"] = "dep.status.(" }),
        });
        var stalled = await harness.WaitForReadyAsync("cel-broken-dep", IsFalse);
        Assert.Equal("InvalidCELExpression", stalled["reason"]!.GetValue<string>());
        Assert.StartsWith("Reconciliation failed terminally due to configuration error: failed to evaluate dependency cel-infra: Syntax error: ", Message(stalled));
    }
}
