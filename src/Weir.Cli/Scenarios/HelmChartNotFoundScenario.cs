using System.Text.Json.Nodes;
using Weir.Hosting;
using Weir.Runtime.Kube;

namespace Weir.Cli.Scenarios;

/// <summary>
/// Issue 17: a chart version that does not exist. The HelmRelease asks an OCI HelmRepository for my-app 9.9.9; only
/// 1.2.3 is published, so its HelmChart says no chart matches and the HelmRelease that its source is not ready.
/// </summary>
public sealed class HelmChartNotFoundScenario : Scenario
{
    public override string Name => "helm-chart-not-found";

    public override string Description => "the HelmRelease pins chart version 9.9.9, which was never published";

    public const string Version = "9.9.9";

    public override IEnumerable<string> LookAt(ScenarioContext context) => HelmObjects.LookAt(context, "helmrepository,helmchart,helmrelease");

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        await HelmObjects.PushChartAsync(context, DemoChart.Files("1.2.3"), cancellationToken);
        await context.CreateAsync(KubeResource.HelmRepository, new JsonObject
        {
            ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
            ["kind"] = "HelmRepository",
            ["metadata"] = new JsonObject { ["name"] = "charts", ["namespace"] = context.AppNamespace },
            ["spec"] = new JsonObject
            {
                ["type"] = "oci",
                ["url"] = $"oci://{HelmObjects.ChartRepository(context)}",
                ["interval"] = "1m",
                ["insecure"] = true,
            },
        }, cancellationToken);
        context.Log.WriteLine($"  created helmrepository/charts in {context.AppNamespace}");
        await context.CreateAsync(KubeResource.HelmRelease, new JsonObject
        {
            ["apiVersion"] = "helm.toolkit.fluxcd.io/v2",
            ["kind"] = "HelmRelease",
            ["metadata"] = new JsonObject { ["name"] = HelmObjects.Name, ["namespace"] = context.AppNamespace },
            ["spec"] = new JsonObject
            {
                ["interval"] = "10m",
                ["chart"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["chart"] = HelmObjects.Name,
                        ["version"] = Version,
                        ["sourceRef"] = new JsonObject { ["kind"] = "HelmRepository", ["name"] = "charts" },
                    },
                },
            },
        }, cancellationToken);
        context.Log.WriteLine($"  created helmrelease/{HelmObjects.Name} in {context.AppNamespace}");
    }
}
