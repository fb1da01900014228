using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Hosting;
using Weir.Runtime.Kube;

namespace Weir.Cli.Scenarios;

/// <summary>
/// Issue 17: drift. Chart 1.2.3 is released with drift detection in <c>warn</c> mode; someone scales the Deployment
/// by hand (as <c>kubectl scale</c> does); the next reconcile reports it (Drifted True) without correcting it.
/// </summary>
public sealed class HelmDriftScenario : Scenario
{
    public override string Name => "helm-drift";

    public override string Description => "my-app was scaled by hand to 3 replicas; drift detection (warn) reports it";

    public override IEnumerable<string> LookAt(ScenarioContext context) => HelmObjects.LookAt(context);

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        await HelmObjects.PushChartAsync(context, DemoChart.Files("1.2.3"), cancellationToken);
        await HelmObjects.CreateChartSourceAsync(context, ">=1.0.0", cancellationToken);
        await HelmObjects.CreateReleaseAsync(context, new JsonObject { ["driftDetection"] = new JsonObject { ["mode"] = "warn" } }, cancellationToken);
        await HelmObjects.WaitForReleasedAsync(context, "1.2.3", cancellationToken);

        var key = new ObjectKey(context.AppNamespace, HelmObjects.Name);
        await context.Client.PatchAsync(KubeResource.Deployment, key, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 3 } },
            "merge", fieldManager: "kubectl-scale", cancellationToken: cancellationToken);
        context.Log.WriteLine($"  scaled deployment/{HelmObjects.Name} in {context.AppNamespace} to 3 replicas");
        await context.RequestReconcileAsync(KubeResource.HelmRelease, key, cancellationToken);
    }
}
