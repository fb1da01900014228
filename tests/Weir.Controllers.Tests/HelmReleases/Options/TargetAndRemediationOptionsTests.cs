using System.Text.Json.Nodes;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.HelmReleases.Options;

/// <summary>
/// A chart whose name changes (reinstalled or upgraded in place), uninstall's deletion propagation as the API server
/// applies it, and the rollback options (force, cleanupOnFail), on the embedded stack.
/// </summary>
public sealed class TargetAndRemediationOptionsTests(HelmReleaseHarness stack) : IClassFixture<HelmReleaseHarness>
{
    [Fact]
    public async Task ARenamedChartIsReinstalledByDefaultAndUpgradedWithInPlaceUpdate()
    {
        const string ns = "hr-opt-rename";
        await stack.PublishAsync(ns, "alpha", TestCharts.App("alpha", "1.0.0"));
        await stack.AddChartAsync(ns, "beta", TestCharts.App("beta", "1.0.0"));
        await stack.CreateHelmReleaseAsync(ns, "reinstalled", "alpha");
        await stack.CreateHelmReleaseAsync(ns, "inplace", "alpha", new JsonObject
        {
            ["upgrade"] = new JsonObject { ["chartNameChangeStrategy"] = "InPlaceUpdate" },
        });
        foreach (var name in new[] { "reinstalled", "inplace" })
        {
            await stack.WaitForHelmReleaseAsync(ns, name, r => IsReady(r, "True"), "installed from alpha");
            await stack.PatchHelmReleaseAsync(ns, name, new JsonObject { ["chartRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = "beta" } });
        }

        var reinstalled = await stack.WaitForHelmReleaseAsync(ns, "reinstalled", r => IsReady(r, "True") && Message(Ready(r)!).Contains("beta@"), "reinstalled from beta");
        Assert.Equal($"Helm install succeeded for release {ns}/reinstalled.v1 with chart beta@1.0.0", Message(Ready(reinstalled)!));
        var events = (await stack.EventsAsync(ns, "reinstalled")).Select(e => e["message"]!.GetValue<string>()).ToList();
        Assert.Contains($"Helm uninstall succeeded for release {ns}/reinstalled.v1 with chart alpha@1.0.0", events);
        var history = reinstalled["status"]!["history"]!.AsArray();
        Assert.Equal("beta", Assert.Single(history)!["chartName"]!.GetValue<string>());

        var inplace = await stack.WaitForHelmReleaseAsync(ns, "inplace", r => IsReady(r, "True") && Message(Ready(r)!).Contains("beta@"), "upgraded to beta");
        Assert.Equal($"Helm upgrade succeeded for release {ns}/inplace.v2 with chart beta@1.0.0", Message(Ready(inplace)!));
        Assert.DoesNotContain((await stack.EventsAsync(ns, "inplace")).Select(e => e["reason"]!.GetValue<string>()), r => r == "UninstallSucceeded");
    }

    [Fact]
    public async Task UninstallDeletionPropagationOrphanLeavesTheReplicaSetsAndBackgroundTakesThem()
    {
        const string ns = "hr-opt-cascade";
        await stack.PublishAsync(ns, "cascade", TestCharts.App("cascade", "1.0.0"));
        await stack.CreateHelmReleaseAsync(ns, "orphaning", "cascade", new JsonObject
        {
            ["uninstall"] = new JsonObject { ["deletionPropagation"] = "orphan", ["keepHistory"] = true },
        });
        await stack.CreateHelmReleaseAsync(ns, "cascading", "cascade");
        foreach (var name in new[] { "orphaning", "cascading" })
        {
            await stack.WaitForHelmReleaseAsync(ns, name, r => IsReady(r, "True"), "installed");
            Assert.NotEqual("", (await stack.Kubectl.OkAsync("get", "replicasets", "-n", ns, "-l", $"app={name}", "-o", "name")).Trim());
            await stack.Kubectl.OkAsync("delete", "helmrelease", name, "-n", ns, "--wait=true", "--timeout=30s");
            Assert.Contains("NotFound", (await stack.Kubectl.RunAsync("get", "deployment", name, "-n", ns)).Err);
        }

        // The API server orphaned the Deployment's ReplicaSet: it stays, without its owner reference.
        var orphan = (await stack.Kubectl.OkAsync("get", "replicasets", "-n", ns, "-l", "app=orphaning", "-o", "jsonpath={.items[*].metadata.ownerReferences}")).Trim();
        Assert.Equal("", orphan);
        Assert.NotEqual("", (await stack.Kubectl.OkAsync("get", "replicasets", "-n", ns, "-l", "app=orphaning", "-o", "name")).Trim());
        Assert.Equal("uninstalled", await stack.Kubectl.OkAsync("get", "secret", "sh.helm.release.v1.orphaning.v1", "-n", ns, "-o", "jsonpath={.metadata.labels.status}"));

        var cascaded = await WaitForAsync(
            async () => new JsonObject { ["left"] = (await stack.Kubectl.OkAsync("get", "replicasets", "-n", ns, "-l", "app=cascading", "-o", "name")).Trim() },
            r => r["left"]!.GetValue<string>() == "", "background deletion of the ReplicaSet", TimeSpan.FromSeconds(30));
        Assert.Equal("", cascaded["left"]!.GetValue<string>());
        Assert.Contains("NotFound", (await stack.Kubectl.RunAsync("get", "secret", "sh.helm.release.v1.cascading.v1", "-n", ns)).Err);
    }

    [Fact]
    public async Task ARollbackWithForceReplacesAndWithCleanupOnFailDeletesWhatItCreated()
    {
        const string ns = "hr-opt-rollback";
        const string extra = """
            {{- if .Values.extra }}
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-extra
            data: {}
            {{- end }}
            """;
        await stack.PublishAsync(ns, "back", TestCharts.App("back", "1.0.0", ("templates/extra.yaml", extra)));

        // forced: a good release, then a failed upgrade rolled back by replacing the objects.
        await stack.CreateHelmReleaseAsync(ns, "forced", "back", new JsonObject
        {
            ["upgrade"] = new JsonObject { ["timeout"] = "2s", ["remediation"] = LastFailureOnly() },
            ["rollback"] = new JsonObject { ["force"] = true, ["serverSideApply"] = "disabled" },
        });

        // cleaned: its first release (not waited for) has the extra ConfigMap and a Deployment that never gets ready,
        // the upgrade drops the ConfigMap and fails; the rollback re-creates it, fails its wait, and deletes it again.
        await stack.CreateHelmReleaseAsync(ns, "cleaned", "back", new JsonObject
        {
            ["values"] = new JsonObject { ["extra"] = true, ["tag"] = "1.25-broken" },
            ["install"] = new JsonObject { ["disableWait"] = true },
            ["upgrade"] = new JsonObject { ["timeout"] = "2s", ["remediation"] = LastFailureOnly() },
            ["rollback"] = new JsonObject { ["timeout"] = "2s", ["cleanupOnFail"] = true },
        });
        await stack.WaitForHelmReleaseAsync(ns, "forced", r => IsReady(r, "True"), "installed");
        await stack.WaitForHelmReleaseAsync(ns, "cleaned", r => IsReady(r, "True"), "installed");
        await stack.Kubectl.OkAsync("label", "configmap", "forced-config", "-n", ns, "added-by=kubectl");
        await stack.PatchHelmReleaseAsync(ns, "forced", new JsonObject { ["values"] = new JsonObject { ["tag"] = "1.25-broken" } });
        await stack.PatchHelmReleaseAsync(ns, "cleaned", new JsonObject { ["values"] = new JsonObject { ["extra"] = false, ["tag"] = "1.25-broken", ["greeting"] = "v2" } });

        var forced = await stack.WaitForHelmReleaseAsync(ns, "forced", r => Reason(Ready(r)!) == "RollbackSucceeded" && Condition(r, "Stalled") is not null, "rolled back",
            TimeSpan.FromSeconds(90));
        Assert.StartsWith($"Helm rollback to previous release {ns}/forced.v1 with chart back@1.0.0 succeeded", Message(Ready(forced)!));
        Assert.Equal("nginx:1.25", await stack.Kubectl.OkAsync("get", "deployment", "forced", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}"));
        Assert.Equal("", await stack.Kubectl.OkAsync("get", "configmap", "forced-config", "-n", ns, "-o", "jsonpath={.metadata.labels.added-by}"));

        var cleaned = await stack.WaitForHelmReleaseAsync(ns, "cleaned", r => Condition(r, "Remediated") is { } c && Reason(c) == "RollbackFailed", "rollback failed",
            TimeSpan.FromSeconds(90));
        Assert.StartsWith($"Helm rollback to previous release {ns}/cleaned.v1 with chart back@1.0.0 failed: ", Message(Condition(cleaned, "Remediated")!));
        Assert.Contains("NotFound", (await stack.Kubectl.RunAsync("get", "configmap", "cleaned-extra", "-n", ns)).Err);
        var failure = (await stack.EventsAsync(ns, "cleaned")).First(e => e["reason"]!.GetValue<string>() == "RollbackFailed")["message"]!.GetValue<string>();
        Assert.Contains(": cleanup on fail set, cleaning up resources: {\"count\":1}", failure);
    }

    [Fact]
    public async Task RetryOnFailureRetriesAFailedInstallAsAnUpgradeInsteadOfUninstallingIt()
    {
        const string ns = "hr-opt-retry";
        await stack.PublishAsync(ns, "retried", TestCharts.App("retried", "1.0.0"));
        await stack.CreateHelmReleaseAsync(ns, "retried", "retried", new JsonObject
        {
            ["values"] = new JsonObject { ["tag"] = "1.25-broken" },
            ["install"] = new JsonObject
            {
                ["timeout"] = "2s",
                ["strategy"] = new JsonObject { ["name"] = "RetryOnFailure", ["retryInterval"] = "1s" },
            },
            ["upgrade"] = new JsonObject { ["timeout"] = "2s" },
        });

        var retried = await stack.WaitForHelmReleaseAsync(ns, "retried", r => r["status"]?["history"] is JsonArray { Count: > 0 } h && h[0]!["version"]!.GetValue<int>() >= 2,
            "retried as an upgrade", TimeSpan.FromSeconds(60));
        Assert.Equal("upgrade", retried["status"]!["lastAttemptedReleaseAction"]!.GetValue<string>());
        Assert.Equal(1, retried["status"]!["installFailures"]!.GetValue<long>());
        var reasons = (await stack.EventsAsync(ns, "retried")).Select(e => e["reason"]!.GetValue<string>()).ToList();
        Assert.Contains("InstallFailed", reasons);
        Assert.DoesNotContain("UninstallSucceeded", reasons);

        // A rollout from the broken image takes longer than the 2s that made the attempts fail quickly.
        await stack.PatchHelmReleaseAsync(ns, "retried", new JsonObject
        {
            ["values"] = new JsonObject { ["tag"] = "1.25" },
            ["upgrade"] = new JsonObject { ["timeout"] = "30s" },
        });
        var released = await stack.WaitForHelmReleaseAsync(ns, "retried", r => IsReady(r, "True"), "upgraded once the image is good", TimeSpan.FromSeconds(60));
        Assert.Matches($@"^Helm upgrade succeeded for release {ns}/retried\.v\d+ with chart retried@1\.0\.0$", Message(Ready(released)!));
    }

    /// <summary>No retries, but the failure remediated: one upgrade, one rollback, then Stalled (nothing moves while the test looks).</summary>
    private static JsonObject LastFailureOnly() => new() { ["retries"] = 0, ["remediateLastFailure"] = true };
}
