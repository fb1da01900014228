using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Hosting;
using Weir.Runtime.Kube;

namespace Weir.Cli.Scenarios;

/// <summary>
/// Issue 17: a failed upgrade. Chart 1.2.3 is released; 1.3.0 deploys an image that cannot be pulled, the upgrade
/// times out, remediation rolls back to 1.2.3 and retries once, then the HelmRelease is Stalled (RetriesExceeded).
/// </summary>
public sealed class HelmUpgradeFailedScenario : Scenario
{
    public override string Name => "helm-upgrade-failed";

    public override string Description => "chart 1.3.0's image cannot be pulled; the upgrade fails, is rolled back to 1.2.3, then retries are exhausted";

    public const string Timeout = "10s";

    public override IEnumerable<string> LookAt(ScenarioContext context) => HelmObjects.LookAt(context);

    public override async Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await context.EnsureNamespaceAsync(context.AppNamespace, cancellationToken);
        await HelmObjects.PushChartAsync(context, DemoChart.Files("1.2.3"), cancellationToken);
        await HelmObjects.CreateChartSourceAsync(context, ">=1.0.0", cancellationToken);
        await HelmObjects.CreateReleaseAsync(context, new JsonObject
        {
            ["upgrade"] = new JsonObject { ["timeout"] = Timeout, ["remediation"] = new JsonObject { ["retries"] = 1 } },
        }, cancellationToken);
        await HelmObjects.WaitForReleasedAsync(context, "1.2.3", cancellationToken);

        // CI publishes 1.3.0; the source is asked to look now instead of at its next poll.
        await HelmObjects.PushChartAsync(context, DemoChart.Files("1.3.0", imageTag: "1.3.0-broken"), cancellationToken);
        await context.RequestReconcileAsync(KubeResource.OCIRepository, new ObjectKey(context.AppNamespace, HelmObjects.Name), cancellationToken);
    }
}
