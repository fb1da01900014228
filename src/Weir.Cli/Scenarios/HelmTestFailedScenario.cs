using System.Text.Json.Nodes;
using Weir.Hosting;

namespace Weir.Cli.Scenarios;

/// <summary>Issue 17: a failing Helm test hook — the release is installed, TestSuccess and Ready are False.</summary>
public sealed class HelmTestFailedScenario : Scenario
{
    public override string Name => "helm-test-failed";

    public override string Description => "the chart's test hook fails after the install; TestSuccess is False";

    /// <summary>A test Pod whose container exits 1 (the simulator's <c>-fail</c> image tag).</summary>
    public const string TestHook = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: "{{ .Release.Name }}-smoke-test"
          annotations:
            helm.sh/hook: test
        spec:
          restartPolicy: Never
          containers:
          - name: smoke
            image: busybox:1.36-fail
        """;

    public override IEnumerable<string> LookAt(ScenarioContext context) => HelmObjects.LookAt(context);

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        await HelmObjects.PushChartAsync(context, DemoChart.Files("1.2.3", extra: ("templates/tests/smoke.yaml", TestHook)), cancellationToken);
        await HelmObjects.CreateChartSourceAsync(context, ">=1.0.0", cancellationToken);
        await HelmObjects.CreateReleaseAsync(context, new JsonObject { ["test"] = new JsonObject { ["enable"] = true } }, cancellationToken);
    }
}
