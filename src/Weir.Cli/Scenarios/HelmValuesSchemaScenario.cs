using System.Text.Json.Nodes;
using Weir.Hosting;

namespace Weir.Cli.Scenarios;

/// <summary>Issue 17: values that break the chart's <c>values.schema.json</c> — the install fails naming the field.</summary>
public sealed class HelmValuesSchemaScenario : Scenario
{
    public override string Name => "helm-values-schema";

    public override string Description => "the HelmRelease sets replicaCount: \"two\"; the chart's schema wants an integer";

    public const string Schema = """
        {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "type": "object",
          "properties": {
            "replicaCount": {"type": "integer", "minimum": 0}
          }
        }
        """;

    public override IEnumerable<string> LookAt(ScenarioContext context) => HelmObjects.LookAt(context);

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        await HelmObjects.PushChartAsync(context, DemoChart.Files("1.2.3", extra: ("values.schema.json", Schema)), cancellationToken);
        await HelmObjects.CreateChartSourceAsync(context, ">=1.0.0", cancellationToken);
        await HelmObjects.CreateReleaseAsync(context, new JsonObject { ["values"] = new JsonObject { ["replicaCount"] = "two" } }, cancellationToken);
    }
}
