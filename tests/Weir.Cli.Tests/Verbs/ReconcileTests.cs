using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

public sealed class ReconcileTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>
{
    private static readonly string Applied = "v1.1.0@" + FluxObjects.Digest('9');
    private readonly FluxObjects _flux = new(cluster);

    private static JsonObject AppliedStatus(string revision) => new()
    {
        ["lastAppliedRevision"] = revision,
        ["lastAttemptedRevision"] = revision,
        ["conditions"] = new JsonArray(FluxObjects.Condition("Ready", "True", "ReconciliationSucceeded", $"Applied revision: {revision}")),
    };

    [Fact]
    public async Task ReconcileAnnotatesWaitsAndReportsTheAppliedRevision()
    {
        var ns = await _flux.NamespaceAsync("rec-ok");
        await _flux.KustomizationAsync(ns, "apps", "my-app");
        await _flux.AppliedAsync(ns, "apps", "v1.0.0@" + FluxObjects.Digest('8'));
        await using var controller = new ControllerStandIn(_flux, KubeResource.Kustomization, new ObjectKey(ns, "apps"), () => AppliedStatus(Applied));

        var before = DateTimeOffset.UtcNow;
        var result = await WeirRun.RunAsync(_flux.Kubeconfig, "reconcile", "kustomization", "apps", "-n", ns);

        Assert.Equal(0, result.Code);
        Assert.Equal("", result.Out);
        Assert.Equal(
            $"► annotating Kustomization apps in {ns} namespace\n✔ Kustomization annotated\n◎ waiting for Kustomization reconciliation\n✔ applied revision {Applied}\n",
            result.Err);
        var obj = (await _flux.Client.GetAsync(KubeResource.Kustomization, new ObjectKey(ns, "apps")))!;
        var requested = DateTimeOffset.Parse(obj.Annotation("reconcile.fluxcd.io/requestedAt")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(requested, before.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z$", obj.Annotation("reconcile.fluxcd.io/requestedAt"));
    }

    [Fact]
    public async Task FailedReconciliationExitsOneWithTheReadyMessage()
    {
        var ns = await _flux.NamespaceAsync("rec-fail");
        await _flux.KustomizationAsync(ns, "apps", "my-app");
        await using var controller = new ControllerStandIn(_flux, KubeResource.Kustomization, new ObjectKey(ns, "apps"), () => new JsonObject
        {
            ["lastAttemptedRevision"] = Applied,
            ["conditions"] = new JsonArray(FluxObjects.Condition("Ready", "False", "BuildFailed", "kustomize build failed: map[string]interface {}(nil): yaml: unmarshal errors")),
        });

        var result = await WeirRun.RunAsync(_flux.Kubeconfig, "reconcile", "ks", "apps", "-n", ns);

        Assert.Equal(1, result.Code);
        Assert.EndsWith("◎ waiting for Kustomization reconciliation\n✗ Kustomization reconciliation failed: 'kustomize build failed: map[string]interface {}(nil): yaml: unmarshal errors'\n", result.Err);
    }

    [Fact]
    public async Task WithSourceReconcilesTheSourceFirst()
    {
        var ns = await _flux.NamespaceAsync("rec-source");
        await _flux.OciRepositoryAsync(ns, "my-app");
        await _flux.KustomizationAsync(ns, "apps", "my-app");
        var fetched = "v1.1.0@" + FluxObjects.Digest('9');
        await using var source = new ControllerStandIn(_flux, KubeResource.OCIRepository, new ObjectKey(ns, "my-app"), () => new JsonObject
        {
            ["artifact"] = new JsonObject
            {
                ["path"] = "x.tar.gz",
                ["url"] = "http://x/x.tar.gz",
                ["revision"] = fetched,
                ["digest"] = FluxObjects.Digest('9'),
                ["lastUpdateTime"] = Weir.Core.Time.KubeTime.Format(DateTimeOffset.UtcNow),
            },
            ["conditions"] = new JsonArray(FluxObjects.Condition("Ready", "True", "Succeeded", $"stored artifact for digest '{fetched}'")),
        });
        await using var ks = new ControllerStandIn(_flux, KubeResource.Kustomization, new ObjectKey(ns, "apps"), () => AppliedStatus(fetched));

        var result = await WeirRun.RunAsync(_flux.Kubeconfig, "reconcile", "ks", "apps", "--with-source", "-n", ns);

        Assert.Equal(0, result.Code);
        Assert.Equal(string.Join("", [
            $"► annotating OCIRepository my-app in {ns} namespace\n", "✔ OCIRepository annotated\n", "◎ waiting for OCIRepository reconciliation\n",
            $"✔ fetched revision {fetched}\n",
            $"► annotating Kustomization apps in {ns} namespace\n", "✔ Kustomization annotated\n", "◎ waiting for Kustomization reconciliation\n",
            $"✔ applied revision {fetched}\n"]), result.Err);
    }

    [Fact]
    public async Task SuspendedObjectsAreRefusedAndTimeoutsFail()
    {
        var ns = await _flux.NamespaceAsync("rec-refuse");
        await _flux.KustomizationAsync(ns, "paused", "my-app", suspend: true);
        var suspended = await WeirRun.RunAsync(_flux.Kubeconfig, "reconcile", "ks", "paused", "-n", ns);
        Assert.Equal(1, suspended.Code);
        Assert.Equal("✗ resource is suspended\n", suspended.Err);

        await _flux.OciRepositoryAsync(ns, "nobody-home");
        var timeout = await WeirRun.RunAsync(_flux.Kubeconfig, "reconcile", "source", "oci", "nobody-home", "-n", ns, "--timeout", "1s");
        Assert.Equal(1, timeout.Code);
        Assert.EndsWith("◎ waiting for OCIRepository reconciliation\n✗ timeout waiting for OCIRepository reconciliation after 1s: Ready=False: waiting to be reconciled\n", timeout.Err);

        var missing = await WeirRun.RunAsync(_flux.Kubeconfig, "reconcile", "hr", "ghost", "-n", ns);
        Assert.Equal(1, missing.Code);
        Assert.Equal($"✗ HelmRelease object 'ghost' not found in \"{ns}\" namespace\n", missing.Err);

        var noName = await WeirRun.RunAsync(_flux.Kubeconfig, "reconcile", "ks", "-n", ns);
        Assert.Equal(2, noName.Code);
    }

    [Fact]
    public async Task SuspendPatchesSpecAndResumeWaitsForReady()
    {
        var ns = await _flux.NamespaceAsync("rec-suspend");
        await _flux.KustomizationAsync(ns, "apps", "my-app");
        var key = new ObjectKey(ns, "apps");

        var suspend = await WeirRun.RunAsync(_flux.Kubeconfig, "suspend", "ks", "apps", "-n", ns);
        Assert.Equal(0, suspend.Code);
        Assert.Equal($"► suspending kustomization apps in {ns} namespace\n✔ kustomization suspended\n", suspend.Err);
        Assert.True((await _flux.Client.GetAsync(KubeResource.Kustomization, key))!["spec"]!["suspend"]!.GetValue<bool>());

        await using var controller = new ControllerStandIn(_flux, KubeResource.Kustomization, key, () => AppliedStatus(Applied));
        var resume = await WeirRun.RunAsync(_flux.Kubeconfig, "resume", "ks", "apps", "-n", ns);
        Assert.Equal(0, resume.Code);
        Assert.Equal(string.Join("", [
            $"► resuming kustomization apps in {ns} namespace\n", "✔ kustomization resumed\n", "◎ waiting for Kustomization reconciliation\n",
            "✔ Kustomization apps reconciliation completed\n", $"✔ applied revision {Applied}\n"]), resume.Err);
        Assert.Null((await _flux.Client.GetAsync(KubeResource.Kustomization, key))!["spec"]!["suspend"]);

        var missing = await WeirRun.RunAsync(_flux.Kubeconfig, "suspend", "source", "oci", "ghost", "-n", ns);
        Assert.Equal(1, missing.Code);
        Assert.Equal($"✗ OCIRepository object 'ghost' not found in {ns} namespace\n", missing.Err);
    }
}
