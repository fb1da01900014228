using System.Text.Json.Nodes;
using Weir.Controllers.Kustomizations;
using Weir.Helm.Releases;
using Weir.Runtime.Kube;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.HelmReleases;

/// <summary>Drift detection, values from watched ConfigMaps, dependencies and release naming, on the embedded stack.</summary>
public sealed class HelmReleaseFeatureTests(HelmReleaseHarness stack) : IClassFixture<HelmReleaseHarness>
{
    private static readonly JsonObject AnyVersion = new() { ["semver"] = ">=0.0.0" };

    [Fact]
    public async Task KubectlScaleIsCorrectedWhenDriftDetectionIsEnabledAndOnlyReportedInWarnMode()
    {
        const string ns = "hr-drift";
        await stack.CreateNamespaceAsync(ns);
        await stack.PushChartAsync("charts/drift", TestCharts.App("drift", "1.0.0"));
        await stack.CreateChartRepositoryAsync(ns, "drift", "charts/drift", AnyVersion);
        await stack.CreateHelmReleaseAsync(ns, "fixed", "drift", new JsonObject { ["driftDetection"] = new JsonObject { ["mode"] = "enabled" } });
        await stack.CreateHelmReleaseAsync(ns, "warned", "drift", new JsonObject { ["driftDetection"] = new JsonObject { ["mode"] = "warn" } });
        foreach (var name in new[] { "fixed", "warned" })
        {
            var installed = await stack.WaitForHelmReleaseAsync(ns, name, r => IsReady(r, "True"), "installed");
            installed = await stack.ReconcileAndWaitAsync(ns, name);
            Assert.Equal("NoDriftDetected", Reason(Condition(installed, "Drifted")!));
            await stack.Kubectl.OkAsync("scale", "deployment", name, "-n", ns, "--replicas=3");
        }

        var fixedRelease = await stack.ReconcileAndWaitAsync(ns, "fixed");
        // Corrected within the reconcile, so the state it ends in has no drift (as Flux's); the event tells what was put back.
        Assert.Equal("NoDriftDetected", Reason(Condition(fixedRelease, "Drifted")!));
        var corrected = (await stack.EventsAsync(ns, "fixed")).Single(e => e["reason"]!.GetValue<string>() == "DriftCorrected");
        Assert.StartsWith($"Cluster state of release {ns}/fixed.v1 has been corrected:\nDeployment/{ns}/fixed", corrected["message"]!.GetValue<string>());
        Assert.True(IsReady(fixedRelease, "True"));
        Assert.Equal("1", await stack.Kubectl.OkAsync("get", "deployment", "fixed", "-n", ns, "-o", "jsonpath={.spec.replicas}"));
        var describe = await stack.Kubectl.OkAsync("describe", "helmrelease", "fixed", "-n", ns);
        Assert.Matches(@"Warning\s+DriftDetected\s+.*Cluster state of release " + ns + "/fixed.v1 has drifted from the desired state:", describe);
        Assert.Matches(@"Normal\s+DriftCorrected", describe);

        var warned = await stack.ReconcileAndWaitAsync(ns, "warned");
        Assert.Equal("DriftDetected", Reason(Condition(warned, "Drifted")!));
        Assert.Equal("True", Status(Condition(warned, "Drifted")!));
        Assert.StartsWith($"Cluster state of release {ns}/warned.v1 has drifted from the desired state:\nDeployment/{ns}/warned changed", Message(Condition(warned, "Drifted")!));
        Assert.True(IsReady(warned, "True"));
        Assert.Equal("3", await stack.Kubectl.OkAsync("get", "deployment", "warned", "-n", ns, "-o", "jsonpath={.spec.replicas}"));
    }

    [Fact]
    public async Task AChangedWatchedConfigMapUpgradesTheReleaseReadingIt()
    {
        const string ns = "hr-values";
        await stack.CreateNamespaceAsync(ns);
        await stack.PushChartAsync("charts/valued", TestCharts.App("valued", "1.0.0"));
        await stack.CreateChartRepositoryAsync(ns, "valued", "charts/valued", AnyVersion);
        await stack.Client.CreateAsync(KubeResource.ConfigMap, ConfigMap(ns, "greeting", "greeting: from the config map\n"));
        await stack.CreateHelmReleaseAsync(ns, "valued", "valued", new JsonObject
        {
            ["valuesFrom"] = new JsonArray(new JsonObject { ["kind"] = "ConfigMap", ["name"] = "greeting" }),
        });
        await stack.WaitForHelmReleaseAsync(ns, "valued", r => IsReady(r, "True"), "installed");
        Assert.Equal("from the config map", await stack.Kubectl.OkAsync("get", "configmap", "valued-config", "-n", ns, "-o", "jsonpath={.data.greeting}"));

        await stack.Client.ReplaceAsync(KubeResource.ConfigMap, ConfigMap(ns, "greeting", "greeting: changed\n"));
        var upgraded = await stack.WaitForHelmReleaseAsync(ns, "valued", r => IsReady(r, "True") && Reason(Ready(r)!) == "UpgradeSucceeded", "upgraded by the watch");
        Assert.Equal($"Helm upgrade succeeded for release {ns}/valued.v2 with chart valued@1.0.0", Message(Ready(upgraded)!));
        Assert.Equal("changed", await stack.Kubectl.OkAsync("get", "configmap", "valued-config", "-n", ns, "-o", "jsonpath={.data.greeting}"));
    }

    [Fact]
    public async Task ADependencyMustBeReadyAndATargetNamespaceNamesTheRelease()
    {
        const string ns = "hr-deps";
        const string target = "hr-deps-target";
        await stack.CreateNamespaceAsync(ns);
        await stack.CreateNamespaceAsync(target);
        await stack.PushChartAsync("charts/dep", TestCharts.App("dep", "1.0.0"));
        await stack.CreateChartRepositoryAsync(ns, "dep", "charts/dep", AnyVersion);
        await stack.CreateHelmReleaseAsync(ns, "app", "dep", new JsonObject
        {
            ["dependsOn"] = new JsonArray(new JsonObject { ["name"] = "infra" }),
            ["targetNamespace"] = target,
        });

        var waiting = await stack.WaitForHelmReleaseAsync(ns, "app", r => IsReady(r, "False"), "waiting for its dependency");
        Assert.Equal("DependencyNotReady", Reason(Ready(waiting)!));
        Assert.Equal($"dependency '{ns}/infra' not found: helmreleases.helm.toolkit.fluxcd.io \"infra\" not found", Message(Ready(waiting)!));

        await stack.CreateHelmReleaseAsync(ns, "infra", "dep");
        var released = await stack.WaitForHelmReleaseAsync(ns, "app", r => IsReady(r, "True"), "installed after its dependency");
        Assert.Equal($"Helm install succeeded for release {target}/{target}-app.v1 with chart dep@1.0.0", Message(Ready(released)!));
        Assert.Equal(ns, released["status"]!["storageNamespace"]!.GetValue<string>());
        Assert.Equal($"deployment.apps/{target}-app", (await stack.Kubectl.OkAsync("get", "deployments", "-n", target, "-o", "name")).Trim());
        Assert.Contains($"sh.helm.release.v1.{target}-app.v1", await stack.Kubectl.OkAsync("get", "secrets", "-n", ns, "-l", "owner=helm", "-o", "name"));
    }

    [Fact]
    public async Task AReleaseLeftPendingIsUnlockedAndUpgraded()
    {
        const string ns = "hr-unlock";
        await stack.CreateNamespaceAsync(ns);
        await stack.PushChartAsync("charts/locked", TestCharts.App("locked", "1.0.0"));
        await stack.CreateChartRepositoryAsync(ns, "locked", "charts/locked", AnyVersion);
        await stack.CreateHelmReleaseAsync(ns, "locked", "locked");
        await stack.WaitForHelmReleaseAsync(ns, "locked", r => IsReady(r, "True"), "installed");

        // A controller that died mid-upgrade leaves the record pending; Helm refuses to act on it until it is unlocked.
        var store = new SecretReleaseStore(stack.Client, ns);
        var pending = await store.GetAsync("locked", 1);
        await store.UpdateAsync(pending.WithStatus(ReleaseStatus.PendingUpgrade, "Preparing upgrade"));

        var release = await stack.ReconcileAndWaitAsync(ns, "locked");
        var events = (await stack.EventsAsync(ns, "locked")).Select(e => e["message"]!.GetValue<string>()).ToList();
        Assert.Contains($"Unlocked Helm release {ns}/locked.v1 with chart locked@1.0.0 in pending-upgrade state", events);
        Assert.Equal($"Helm upgrade succeeded for release {ns}/locked.v2 with chart locked@1.0.0", Message(Ready(release)!));
        Assert.Equal("superseded", (await store.GetAsync("locked", 1)).Info.Status);
        Assert.Equal("deployed", (await store.GetAsync("locked", 2)).Info.Status);
    }

    private static JsonObject ConfigMap(string ns, string name, string values) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject { [ConfigWatch.Label] = "Enabled" },
        },
        ["data"] = new JsonObject { ["values.yaml"] = values },
    };
}
