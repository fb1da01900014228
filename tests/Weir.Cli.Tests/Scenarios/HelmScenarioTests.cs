using System.Text.Json.Nodes;
using Weir.Cli.Scenarios;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Testing;
using static Weir.Testing.StatusConditions;

namespace Weir.Cli.Tests.Scenarios;

/// <summary>
/// The HelmRelease scenarios (issue 17's done-when list) set up on the shared stack, read with real kubectl — and the
/// HelmRelease verbs of the CLI (<c>get hr</c>, <c>get sources chart</c>, <c>tree hr</c>, <c>reconcile hr --force
/// --reset</c>, <c>status</c>) against what they set up.
/// </summary>
[Collection(ScenarioStackCollection.Name)]
public sealed class HelmScenarioTests(ScenarioStack stack)
{
    private const string Release = HelmObjects.Name;

    [Fact]
    public async Task AFailedUpgradeIsRolledBackThenStalledWhenRetriesAreExhausted()
    {
        var context = await stack.ScenarioAsync("helm-upgrade-failed");
        var hr = await WaitForReleaseAsync(context, r => Condition(r, "Stalled") is not null, "stalled", TimeSpan.FromSeconds(150));
        Assert.Equal("RetriesExceeded", Reason(Condition(hr, "Stalled")!));
        Assert.Equal("Failed to upgrade after 2 attempt(s)", Message(Condition(hr, "Stalled")!));
        Assert.Equal("RollbackSucceeded", Reason(Condition(hr, "Remediated")!));

        var row = await KubectlTable.RowAsync(stack.Kubeconfig, "helmrelease", context.AppNamespace, Release);
        Assert.Equal("False", row["READY"]);
        var describe = await KubectlTable.DescribeAsync(stack.Kubeconfig, "helmrelease", context.AppNamespace, Release);
        Assert.Contains("Helm rollback to previous release", describe);
        Assert.Matches(@"Warning\s+UpgradeFailed", describe);

        // The release is back on 1.2.3: the workload runs the old image.
        var deployment = await stack.Client.GetAsync(KubeResource.Deployment, new ObjectKey(context.AppNamespace, Release));
        Assert.Equal("ghcr.io/example/my-app:1.0.0",
            deployment!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());

        var (code, output, _) = await WeirStatus.StatusAsync(stack.Kubeconfig, context.AppNamespace, Release);
        Assert.True(code == 1, output);
        Assert.StartsWith("failed:", output.Split('\n')[0]);
    }

    [Fact]
    public async Task AChartVersionThatDoesNotExistIsNamedByTheHelmChartAndTheHelmRelease()
    {
        var context = await stack.ScenarioAsync("helm-chart-not-found");
        var chartName = $"{context.AppNamespace}-{Release}";
        var chart = await StatusConditions.WaitForAsync(() => stack.Client.GetAsync(KubeResource.HelmChart, new ObjectKey(context.AppNamespace, chartName)),
            c => IsReady(c, "False"), "HelmChart not ready", TimeSpan.FromSeconds(90));
        // An OCI chart repository: the pinned tag is pulled and is not there (an HTTP index would say "no 'my-app' chart
        // with version matching '9.9.9' found", which Weir.Sources.Tests checks).
        Assert.Contains($"{Release}:9.9.9", Message(Ready(chart)!));
        var hr = await WaitForReleaseAsync(context, r => IsReady(r, "False") && Message(Ready(r)!).StartsWith("HelmChart", StringComparison.Ordinal), "source not ready");
        Assert.StartsWith($"HelmChart '{context.AppNamespace}/{chartName}' is not ready", Message(Ready(hr)!));

        // weir get sources chart: flux's columns, the HelmChart's message.
        var (code, output, error) = await WeirRun.RunAsync(stack.Kubeconfig, "get", "sources", "chart", "-n", context.AppNamespace);
        Assert.True(code == 0, error);
        Assert.Matches(@"(?m)^NAME\s+REVISION\s+SUSPENDED\s+READY\s+MESSAGE", output);
        Assert.Matches($@"(?m)^{chartName}\s+False\s+False\s+.*{Release}:9\.9\.9", output);

        // An OCI HelmRepository is static: nothing to reconcile.
        (code, _, error) = await WeirRun.RunAsync(stack.Kubeconfig, "reconcile", "source", "helm", "charts", "-n", context.AppNamespace);
        Assert.Equal(1, code);
        Assert.Contains("reconciliation not supported by the object", error);
    }

    [Fact]
    public async Task ValuesBreakingTheSchemaFailTheInstallNamingTheField()
    {
        var context = await stack.ScenarioAsync("helm-values-schema");
        var hr = await WaitForReleaseAsync(context, r => Ready(r) is { } ready && Reason(ready) == "InstallFailed", "install failed");
        Assert.Equal("InstallFailed", Reason(Ready(hr)!));
        Assert.StartsWith($"Helm install failed for release {context.AppNamespace}/{Release} with chart {Release}@1.2.3: ", Message(Ready(hr)!));
        Assert.Contains("replicaCount", Message(Ready(hr)!));

        var (code, output, _) = await WeirRun.RunAsync(stack.Kubeconfig, "get", "hr", "-n", context.AppNamespace, "--status-selector", "ready=false");
        Assert.Equal(0, code);
        // No release yet: REVISION is the chart version last attempted. Helm's schema message spans lines.
        Assert.Matches($@"(?m)^{Release}\s+1\.2\.3\s+False\s+False\s+Helm install failed for release {context.AppNamespace}/{Release} with chart {Release}@1\.2\.3: ", output);
        Assert.Contains("replicaCount", output);
    }

    [Fact]
    public async Task AFailingTestHookMakesTestSuccessFalse()
    {
        var context = await stack.ScenarioAsync("helm-test-failed");
        var hr = await WaitForReleaseAsync(context, r => Condition(r, "TestSuccess") is { } t && IsFalse(t) && IsReady(r, "False"), "tests failed");
        Assert.Equal("TestFailed", Reason(Condition(hr, "TestSuccess")!));
        var row = await KubectlTable.RowAsync(stack.Kubeconfig, "helmrelease", context.AppNamespace, Release);
        Assert.Equal("False", row["READY"]);
        Assert.StartsWith($"Helm test failed for release {context.AppNamespace}/{Release}.v1 with chart {Release}@1.2.3", row["STATUS"]);
    }

    [Fact]
    public async Task DriftInWarnModeIsReportedAndTheVerbsShowTheRelease()
    {
        var context = await stack.ScenarioAsync("helm-drift");
        var hr = await WaitForReleaseAsync(context, r => Condition(r, "Drifted") is { } d && IsTrue(d), "drift reported");
        Assert.Equal("DriftDetected", Reason(Condition(hr, "Drifted")!));
        var deployment = await stack.Client.GetAsync(KubeResource.Deployment, new ObjectKey(context.AppNamespace, Release));
        Assert.Equal(3, deployment!["spec"]!["replicas"]!.GetValue<int>()); // warn: reported, not corrected

        // weir get hr: the chart version of the release as REVISION.
        var (code, output, error) = await WeirRun.RunAsync(stack.Kubeconfig, "get", "hr", Release, "-n", context.AppNamespace);
        Assert.True(code == 0, error);
        Assert.Matches($@"(?m)^{Release}\s+1\.2\.3\s+False\s+True\s+Helm install succeeded for release {context.AppNamespace}/{Release}\.v1 with chart {Release}@1\.2\.3", output);

        // weir tree hr: what the release owns, from its manifest.
        (code, output, error) = await WeirRun.RunAsync(stack.Kubeconfig, "tree", "hr", Release, "-n", context.AppNamespace);
        Assert.True(code == 0, error);
        Assert.Equal(
            $"HelmRelease/{context.AppNamespace}/{Release}\n├── Service/{context.AppNamespace}/{Release}\n└── Deployment/{context.AppNamespace}/{Release}\n",
            output);

        // weir trace of a released object leads back to the HelmRelease and its OCIRepository.
        (code, output, error) = await WeirRun.RunAsync(stack.Kubeconfig, "trace", "deployment", Release, "-n", context.AppNamespace);
        Assert.True(code == 0, error);
        Assert.Matches(@"(?m)^HelmRelease:\s+my-app$", output);
        Assert.Matches(@"(?m)^OCIRepository:\s+my-app$", output);

        // weir reconcile hr --force --reset: both tokens equal requestedAt and are handled.
        (code, output, error) = await WeirRun.RunAsync(stack.Kubeconfig, "reconcile", "hr", Release, "-n", context.AppNamespace, "--force", "--reset");
        Assert.True(code == 0, output + error);
        Assert.Contains("✔ applied revision 1.2.3", error);
        hr = (await stack.Client.GetAsync(KubeResource.HelmRelease, new ObjectKey(context.AppNamespace, Release)))!;
        var requested = hr["metadata"]!["annotations"]!["reconcile.fluxcd.io/requestedAt"]!.GetValue<string>();
        Assert.Equal(requested, hr["metadata"]!["annotations"]!["reconcile.fluxcd.io/forceAt"]!.GetValue<string>());
        Assert.Equal(requested, hr["status"]!["lastHandledForceAt"]!.GetValue<string>());
        Assert.Equal(requested, hr["status"]!["lastHandledResetAt"]!.GetValue<string>());

        // weir status follows registry → OCIRepository → HelmRelease → the Deployment it released.
        var status = await WeirStatus.StatusAsync(stack.Kubeconfig, context.AppNamespace, Release);
        Assert.Contains($"Deployment/{context.AppNamespace}/{Release}", status.Out);
    }

    private Task<JsonObject> WaitForReleaseAsync(ScenarioContext context, Func<JsonObject, bool> done, string what, TimeSpan? timeout = null) =>
        StatusConditions.WaitForAsync(() => stack.Client.GetAsync(KubeResource.HelmRelease, new ObjectKey(context.AppNamespace, Release)),
            done, $"HelmRelease {context.AppNamespace}/{Release}: {what}", timeout ?? TimeSpan.FromSeconds(90), () => stack.ControllerLog[^Math.Min(4000, stack.ControllerLog.Length)..]);
}
