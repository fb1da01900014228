using System.Text.RegularExpressions;
using Weir.Cli.Scenarios;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Testing;
using static Weir.Testing.StatusConditions;

namespace Weir.Cli.Tests.Scenarios;

/// <summary>
/// Every seed scenario set up on one embedded stack, then read the way the seeds read it — real kubectl — and the
/// way Weir answers it — <c>weir status</c>, verdict line and exit code.
/// </summary>
[Collection(ScenarioStackCollection.Name)]
public sealed partial class SeedScenarioTests(ScenarioStack stack)
{
    [Fact]
    public async Task AllGreenShowsReadyTrueAndTheAppliedRevisions()
    {
        var context = await stack.ScenarioAsync("all-green");
        await stack.WaitForAsync(context, KubeResource.Kustomization, "apps", o => IsReady(o, "True") && HasApplied(o, "v2.1.0"), "apps Ready with v2.1.0");
        await stack.WaitForAsync(context, KubeResource.Kustomization, "infrastructure", o => IsReady(o, "True") && HasApplied(o, "v3.0.1"), "infrastructure Ready with v3.0.1");

        var rows = await KubectlTable.GetAsync(stack.Kubeconfig, "ocirepository,kustomization", "-n", context.Namespace);
        Assert.Matches(@"^stored artifact for digest 'v2\.1\.0@sha256:[0-9a-f]{64}'$", Row(rows, "ocirepository", "my-app")["STATUS"]);
        Assert.Equal("True", Row(rows, "ocirepository", "my-app")["READY"]);
        Assert.Equal("True", Row(rows, "kustomization", "apps")["READY"]);
        Assert.Matches(@"^Applied revision: v2\.1\.0@sha256:[0-9a-f]{64}$", Row(rows, "kustomization", "apps")["STATUS"]);
        Assert.Equal("True", Row(rows, "kustomization", "infrastructure")["READY"]);
        Assert.Matches(@"^Applied revision: v3\.0\.1@sha256:[0-9a-f]{64}$", Row(rows, "kustomization", "infrastructure")["STATUS"]);

        var describe = await KubectlTable.DescribeAsync(stack.Kubeconfig, "kustomization", context.Namespace, "apps");
        Assert.Matches(@"Message:\s+Applied revision: v2\.1\.0@sha256:[0-9a-f]{64}\s+.*\n\s+Reason:\s+ReconciliationSucceeded\s+Status:\s+True\s+Type:\s+Ready", describe);

        var (code, output, _) = await WeirStatus.StatusAsync(stack.Kubeconfig, context.Namespace, "my-app");
        Assert.True(code == 0, output);
        Assert.Equal("live", FirstLine(output));
        (code, output, _) = await WeirStatus.StatusAsync(stack.Kubeconfig, context.Namespace, "infrastructure");
        Assert.True(code == 0, output);
        Assert.Equal("live", FirstLine(output));
    }

    [Fact]
    public async Task InProgressShowsReadyUnknownWhileTheHealthCheckRuns()
    {
        var context = await stack.ScenarioAsync("in-progress");
        // Applied and now waiting: the Deployment exists and the Kustomization is still reconciling.
        await stack.WaitForAsync(context, KubeResource.Kustomization, "apps", o => IsReady(o, "Unknown") && o["status"]?["lastAttemptedRevision"] is not null,
            "apps to be running its health check");
        Assert.NotNull(await stack.Client.GetAsync(KubeResource.Deployment, new ObjectKey(context.AppNamespace, "my-app")));

        var row = await KubectlTable.RowAsync(stack.Kubeconfig, "kustomization", context.Namespace, "apps");
        Assert.Equal("Unknown", row["READY"]);
        Assert.Equal("Reconciliation in progress", row["STATUS"]);

        var (code, output, _) = await WeirStatus.StatusAsync(stack.Kubeconfig, context.Namespace, "my-app");
        Assert.True(code == 4, output);
        Assert.Equal("pending: apps: Reconciliation in progress", FirstLine(output));
    }

    [Fact]
    public async Task NotYetPolledKeepsThePreviousRevisionUntilAReconcileIsRequested()
    {
        var context = await stack.ScenarioAsync("not-yet-polled");
        var row = await KubectlTable.RowAsync(stack.Kubeconfig, "kustomization", context.Namespace, "apps");
        Assert.Equal("True", row["READY"]);
        Assert.Matches(@"^Applied revision: v1\.5\.0@sha256:[0-9a-f]{64}$", row["STATUS"]);

        var (code, output, _) = await WeirStatus.StatusAsync(stack.Kubeconfig, context.Namespace, "my-app");
        Assert.True(code == 4, output);
        Assert.Matches(@"^pending: next poll in \d+m\d+s \(my-app still has v1\.5\.0; interval 10m\)$", FirstLine(output));
        (code, output, _) = await WeirStatus.StatusAsync(stack.Kubeconfig, context.Namespace, "my-app", "--version", "v1.5.0");
        Assert.True(code == 0, output);

        // What `flux reconcile source oci my-app` does: annotate, then the new revision flows through.
        var (annotated, _, error) = await Kubectl.RunAsync(stack.Kubeconfig, 32, "annotate", "--overwrite", "-n", context.Namespace,
            "ocirepository/my-app", $"reconcile.fluxcd.io/requestedAt={DateTimeOffset.UtcNow:o}");
        Assert.True(annotated == 0, error);
        await stack.WaitForAsync(context, KubeResource.Kustomization, "apps", o => IsReady(o, "True") && HasApplied(o, "v1.6.0"), "apps to apply v1.6.0");
        row = await KubectlTable.RowAsync(stack.Kubeconfig, "kustomization", context.Namespace, "apps");
        Assert.Matches(@"^Applied revision: v1\.6\.0@sha256:[0-9a-f]{64}$", row["STATUS"]);
        (code, output, _) = await WeirStatus.StatusUntilLiveAsync(stack.Kubeconfig, context.Namespace, "my-app");
        Assert.True(code == 0, output);
        Assert.Equal("live", FirstLine(output));
    }

    [Fact]
    public async Task BuildFailedNamesTheFileAndTheCause()
    {
        var context = await stack.ScenarioAsync("build-failed");
        var apps = await stack.WaitForAsync(context, KubeResource.Kustomization, "apps", o => IsReady(o, "False"), "apps to fail");
        Assert.Equal("BuildFailed", Reason(Ready(apps)!));

        var row = await KubectlTable.RowAsync(stack.Kubeconfig, "kustomization", context.Namespace, "apps");
        Assert.Equal("False", row["READY"]);
        Assert.StartsWith("kustomize build failed: ", row["STATUS"]);
        Assert.Contains(BuildFailedScenario.BrokenFile, row["STATUS"]);
        Assert.Contains("yaml", row["STATUS"][("kustomize build failed: ".Length)..].Replace(BuildFailedScenario.BrokenFile, ""), StringComparison.OrdinalIgnoreCase);
        var describe = await KubectlTable.DescribeAsync(stack.Kubeconfig, "kustomization", context.Namespace, "apps");
        Assert.Matches(@"Message:\s+kustomize build failed: ", describe);
        Assert.Null(await stack.Client.GetAsync(KubeResource.Deployment, new ObjectKey(context.AppNamespace, "my-app")));

        var (code, output, _) = await WeirStatus.StatusAsync(stack.Kubeconfig, context.Namespace, "my-app");
        Assert.True(code == 1, output);
        Assert.StartsWith("failed: kustomize build failed: ", FirstLine(output));
    }

    [Fact]
    public async Task InvalidObjectIsRefusedAndNothingOfThatRevisionIsApplied()
    {
        var context = await stack.ScenarioAsync("invalid-object");
        await stack.WaitForAsync(context, KubeResource.Kustomization, "apps",
            o => IsReady(o, "False") && o["status"]?["lastAttemptedRevision"]?.GetValue<string>().StartsWith("v1.2.0@") == true, "apps to refuse v1.2.0");

        var row = await KubectlTable.RowAsync(stack.Kubeconfig, "kustomization", context.Namespace, "apps");
        Assert.Equal("False", row["READY"]);
        Assert.Contains($"Service \"my-app\" is invalid: spec.ports[0].port: Invalid value: {InvalidObjectScenario.InvalidPort}: must be between 1 and 65535, inclusive", row["STATUS"]);

        // v1.1.0 is still what runs: the Deployment of v1.2.0 (valid on its own) was not applied either.
        var deployment = await stack.Client.GetAsync(KubeResource.Deployment, new ObjectKey(context.AppNamespace, "my-app"));
        Assert.Equal("v1.1.0", deployment?["metadata"]?["labels"]?["app.kubernetes.io/version"]?.GetValue<string>());
        var apps = await stack.Client.GetAsync(KubeResource.Kustomization, new ObjectKey(context.Namespace, "apps"));
        Assert.True(HasApplied(apps!, "v1.1.0"), Applied(apps!));

        var (code, output, _) = await WeirStatus.StatusAsync(stack.Kubeconfig, context.Namespace, "my-app");
        Assert.True(code == 1, output);
        Assert.StartsWith("failed: ", FirstLine(output));
        Assert.Contains("Service \"my-app\" is invalid", FirstLine(output));
    }

    [Fact]
    public async Task MissingDependencyReportsTheMissingObjectAndTheDependencyNotReady()
    {
        var context = await stack.ScenarioAsync("missing-dependency");
        await stack.WaitForAsync(context, KubeResource.Kustomization, "infra", o => IsReady(o, "False"), "infra to fail");
        await stack.WaitForAsync(context, KubeResource.Kustomization, "apps", o => IsReady(o, "False"), "apps to wait on infra");

        var rows = await KubectlTable.GetAsync(stack.Kubeconfig, "kustomization", "-n", context.Namespace);
        var infra = Row(rows, "", "infra");
        Assert.Equal("False", infra["READY"]);
        Assert.Contains($"namespaces \"{MissingDependencyScenario.MissingNamespace}\" not found", infra["STATUS"]);
        var apps = Row(rows, "", "apps");
        Assert.Equal("False", apps["READY"]);
        Assert.Equal($"dependency '{context.Namespace}/infra' is not ready", apps["STATUS"]);

        var (code, output, _) = await WeirStatus.StatusAsync(stack.Kubeconfig, context.Namespace, "my-app");
        Assert.True(code == 3, output);
        Assert.Equal($"blocked: dependency '{context.Namespace}/infra' is not ready", FirstLine(output));
        (code, output, _) = await WeirStatus.StatusAsync(stack.Kubeconfig, context.Namespace, "infrastructure");
        Assert.True(code == 1, output);
        Assert.Contains($"namespaces \"{MissingDependencyScenario.MissingNamespace}\" not found", FirstLine(output));
    }

    [Theory]
    [InlineData("expired-credentials", "v1.0.0")]
    [InlineData("no-semver-match", "v1.4.0")]
    [InlineData("registry-unreachable", "v1.0.0")]
    public async Task SourceFailureKeepsTheLastAppliedRevision(string scenario, string applied)
    {
        var context = await stack.ScenarioAsync(scenario);
        var source = await stack.WaitForAsync(context, KubeResource.OCIRepository, "my-app", o => IsReady(o, "False"), "the source to fail");
        var message = Message(Ready(source)!);

        var rows = await KubectlTable.GetAsync(stack.Kubeconfig, "ocirepository,kustomization", "-n", context.Namespace);
        Assert.Equal("False", Row(rows, "ocirepository", "my-app")["READY"]);
        Assert.Equal(message, Row(rows, "ocirepository", "my-app")["STATUS"]);
        Assert.Equal("True", Row(rows, "kustomization", "apps")["READY"]);
        Assert.Matches($@"^Applied revision: {Regex.Escape(applied)}@sha256:[0-9a-f]{{64}}$", Row(rows, "kustomization", "apps")["STATUS"]);
        switch (scenario)
        {
            case "expired-credentials":
                Assert.Matches("(?i)unauthorized|401|authentication", message);
                break;
            case "no-semver-match":
                Assert.Equal($"failed to determine the artifact tag for '{context.RepositoryUrl("my-app")}': no match found for semver: {NoSemverMatchScenario.Range}", message);
                break;
            default:
                Assert.Matches("(?i)refused|connect|unreachable", message);
                break;
        }

        var (code, output, _) = await WeirStatus.StatusAsync(stack.Kubeconfig, context.Namespace, "my-app");
        Assert.True(code == 1, output);
        Assert.Equal("failed: " + message, FirstLine(output));
    }

    [Fact]
    public async Task UserWithoutReadAccessGetsForbiddenFromKubectl()
    {
        var context = await stack.ScenarioAsync("forbidden");
        var kubeconfig = context.Outputs[ForbiddenScenario.KubeconfigOutput];
        var (code, _, error) = await Kubectl.RunAsync(kubeconfig, 32, "get", "kustomization", "-n", context.Namespace);
        Assert.NotEqual(0, code);
        Assert.StartsWith("Error from server (Forbidden): ", error.Trim());
        Assert.Contains($"User \"{ForbiddenScenario.User}\" cannot list resource \"kustomizations\" in API group \"kustomize.toolkit.fluxcd.io\" in the namespace \"{context.Namespace}\"", error);

        // The namespace dev may view reads fine.
        await stack.WaitForAsync(context, KubeResource.Kustomization, "apps", o => HasApplied(o, "v2.1.0"), "apps to apply v2.1.0");
        var rows = await KubectlTable.GetAsync(kubeconfig, "deployments", "-n", context.AppNamespace);
        Assert.Contains(rows, r => r["NAME"] == "my-app");

        (code, _, error) = await WeirStatus.StatusAsync(kubeconfig, context.Namespace, "my-app");
        Assert.True(code == 1, error);
        Assert.StartsWith("✗ Error from server (Forbidden): ", error);
    }

    [Fact]
    public async Task PinnedProductionIgnoresTheNewVersionUntilThePinChanges()
    {
        var context = await stack.ScenarioAsync("pinned-production");
        await stack.WaitForAsync(context, KubeResource.Kustomization, "production", o => IsReady(o, "True") && HasApplied(o, "v1.5.0"), "production to apply v1.5.0");
        var row = await KubectlTable.RowAsync(stack.Kubeconfig, "kustomization", context.Namespace, "production");
        Assert.Matches(@"^Applied revision: v1\.5\.0@sha256:[0-9a-f]{64}$", row["STATUS"]);

        var (code, output, _) = await WeirStatus.StatusAsync(stack.Kubeconfig, context.Namespace, "my-app");
        Assert.True(code == 3, output);
        Assert.Equal("blocked: production is pinned to v1.5.0", FirstLine(output));
        (code, output, _) = await WeirStatus.StatusAsync(stack.Kubeconfig, context.Namespace, "my-app", "--version", "v1.5.0", "-o", "json");
        Assert.True(code == 0, output);
        Assert.Contains("\"verdict\": \"live\"", output);

        var (patched, _, error) = await Kubectl.RunAsync(stack.Kubeconfig, 32, "patch", "ocirepository", "my-app", "-n", context.Namespace,
            "--type", "merge", "-p", $"{{\"spec\":{{\"ref\":{{\"tag\":\"{PinnedProductionScenario.NewTag}\"}}}}}}");
        Assert.True(patched == 0, error);
        await stack.WaitForAsync(context, KubeResource.Kustomization, "production", o => IsReady(o, "True") && HasApplied(o, "v1.6.0"), "production to apply v1.6.0");
        (code, output, _) = await WeirStatus.StatusUntilLiveAsync(stack.Kubeconfig, context.Namespace, "my-app");
        Assert.True(code == 0, output);
        Assert.Equal("live", FirstLine(output));
    }

    [Fact]
    public async Task UnhealthyWorkloadFailsTheHealthCheckNamingTheDeployment()
    {
        var context = await stack.ScenarioAsync("unhealthy-workload");
        var apps = await stack.WaitForAsync(context, KubeResource.Kustomization, "apps", o => IsReady(o, "False"), "apps' health check to fail");
        Assert.Equal("HealthCheckFailed", Reason(Ready(apps)!));

        // Every retryInterval a new attempt shows Unknown "Reconciliation in progress" for the length of its health
        // check (as Flux does), so kubectl is asked until it catches the failed phase.
        var row = await KubectlTable.RowAsync(stack.Kubeconfig, "kustomization", context.Namespace, "apps");
        for (var attempt = 0; row["READY"] != "False" && attempt < 90; attempt++)
        {
            Assert.Equal(("Unknown", "Reconciliation in progress"), (row["READY"], row["STATUS"]));
            await Task.Delay(TimeSpan.FromSeconds(1));
            row = await KubectlTable.RowAsync(stack.Kubeconfig, "kustomization", context.Namespace, "apps");
        }

        Assert.Equal("False", row["READY"]);
        Assert.Matches($@"^health check failed after [0-9.]+m?s: timeout waiting for: \[Deployment/{Regex.Escape(context.AppNamespace)}/my-app status: '(InProgress|Failed)'", row["STATUS"]);

        // Failed in both phases: Ready False, or a retry running after a failed attempt at the same revision.
        var (code, output, _) = await WeirStatus.StatusAsync(stack.Kubeconfig, context.Namespace, "my-app");
        Assert.True(code == 1, output);
        Assert.Matches(@"^failed: (health check failed after |apps is retrying: the last attempt at v2\.2\.0 ended HealthCheckFailed)", FirstLine(output));
    }

    private static string FirstLine(string output) => output.Split('\n')[0].TrimEnd();

    /// <summary>The row named <c>kind/name</c> (kubectl prefixes names when several kinds are listed) or plain <c>name</c>.</summary>
    private static Dictionary<string, string> Row(List<Dictionary<string, string>> rows, string kind, string name) =>
        rows.SingleOrDefault(r => r["NAME"] == name || (kind.Length > 0 && Regex.IsMatch(r["NAME"], $"^{Regex.Escape(kind)}(\\.[a-z.]+)?/{Regex.Escape(name)}$")))
        ?? throw new Xunit.Sdk.XunitException($"no row {kind}/{name} in: {string.Join("; ", rows.Select(r => r["NAME"]))}");
}
