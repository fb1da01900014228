using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.HelmReleases.Behaviours;

/// <summary>
/// What users ask of a HelmRelease besides its spec: <c>suspend</c> (nothing happens until resumed), and the
/// <c>reconcile.fluxcd.io/forceAt</c> and <c>resetAt</c> requests that <c>flux reconcile hr --force|--reset</c> send.
/// </summary>
public sealed class ReconcileRequestTests(HelmReleaseHarness stack) : IClassFixture<HelmReleaseHarness>
{
    [Fact]
    public async Task ASuspendedReleaseIsLeftAloneUntilItIsResumed()
    {
        const string ns = "hr-suspend";
        await stack.PrepareChartAsync(ns, "paused");
        await stack.CreateHelmReleaseAsync(ns, "paused", "paused");
        await stack.WaitForHelmReleaseAsync(ns, "paused", r => IsReady(r, "True"), "installed");

        await stack.PatchHelmReleaseAsync(ns, "paused", new JsonObject { ["suspend"] = true });
        await stack.PatchHelmReleaseAsync(ns, "paused", new JsonObject { ["values"] = new JsonObject { ["greeting"] = "while suspended" } });
        await stack.RequestAsync(KubeResource.HelmRelease, ns, "paused");
        // Nothing to wait for: a suspended release must stay as it is, so give the controller time to do the wrong thing.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal("hello", await stack.GreetingAsync(ns, "paused"));
        Assert.Equal("sh.helm.release.v1.paused.v1", (await stack.ReleaseSecretsAsync(ns, "paused")).Single());
        var suspended = await stack.Client.GetAsync(KubeResource.HelmRelease, new ObjectKey(ns, "paused"));
        Assert.Equal($"Helm install succeeded for release {ns}/paused.v1 with chart paused@1.0.0", Message(Ready(suspended)!));

        await stack.PatchHelmReleaseAsync(ns, "paused", new JsonObject { ["suspend"] = false });
        var resumed = await stack.WaitForHelmReleaseAsync(ns, "paused", r => IsReady(r, "True") && Reason(Ready(r)!) == "UpgradeSucceeded", "upgraded once resumed");
        Assert.Equal($"Helm upgrade succeeded for release {ns}/paused.v2 with chart paused@1.0.0", Message(Ready(resumed)!));
        Assert.Equal("while suspended", await stack.GreetingAsync(ns, "paused"));
    }

    [Fact]
    public async Task ForceAtUpgradesAnUnchangedReleaseOnceAndAPlainRequestDoesNot()
    {
        const string ns = "hr-force";
        await stack.PrepareChartAsync(ns, "forced");
        await stack.CreateHelmReleaseAsync(ns, "forced", "forced");
        await stack.WaitForHelmReleaseAsync(ns, "forced", r => IsReady(r, "True"), "installed");

        var plain = await stack.ReconcileAndWaitAsync(ns, "forced");
        Assert.Equal($"Helm install succeeded for release {ns}/forced.v1 with chart forced@1.0.0", Message(Ready(plain)!));

        var token = await RequestAsync(ns, "forced", "forceAt");
        var forced = await stack.WaitForHelmReleaseAsync(ns, "forced", r => r["status"]?["lastHandledForceAt"]?.GetValue<string>() == token
            && Condition(r, "Reconciling") is null, "force request handled");
        Assert.Equal($"Helm upgrade succeeded for release {ns}/forced.v2 with chart forced@1.0.0", Message(Ready(forced)!));
        Assert.Equal(token, forced["status"]!["lastHandledReconcileAt"]!.GetValue<string>());
        Assert.Equal(2, (await stack.ReleaseSecretsAsync(ns, "forced")).Count);

        // The same forceAt again is handled already: no third release.
        var again = await stack.ReconcileAndWaitAsync(ns, "forced");
        Assert.Equal($"Helm upgrade succeeded for release {ns}/forced.v2 with chart forced@1.0.0", Message(Ready(again)!));
        Assert.Equal(2, (await stack.ReleaseSecretsAsync(ns, "forced")).Count);
    }

    [Fact]
    public async Task ResetAtGivesAStalledReleaseFreshRetries()
    {
        const string ns = "hr-reset";
        const string target = "hr-reset-target";
        await stack.PrepareChartAsync(ns, "again");
        // The target namespace does not exist yet: the install fails, and without retries the release stalls.
        await stack.CreateHelmReleaseAsync(ns, "again", "again", new JsonObject { ["targetNamespace"] = target, ["releaseName"] = "again" });
        var stalled = await stack.WaitForHelmReleaseAsync(ns, "again", r => Condition(r, "Stalled") is not null, "stalled");
        Assert.Equal("RetriesExceeded", Reason(Condition(stalled, "Stalled")!));
        Assert.Equal("Failed to install after 1 attempt(s)", Message(Condition(stalled, "Stalled")!));
        Assert.Equal(1, stalled["status"]!["installFailures"]!.GetValue<long>());

        // The cause goes away, but a plain request does not retry: the retries are used up.
        await stack.CreateNamespaceAsync(target);
        var still = await stack.ReconcileAndWaitAsync(ns, "again");
        Assert.Equal("Failed to install after 1 attempt(s)", Message(Condition(still, "Stalled")!));
        Assert.Equal(1, still["status"]!["installFailures"]!.GetValue<long>());

        var token = await RequestAsync(ns, "again", "resetAt");
        var reset = await stack.WaitForHelmReleaseAsync(ns, "again", r => r["status"]?["lastHandledResetAt"]?.GetValue<string>() == token
            && Condition(r, "Reconciling") is null, "reset request handled");
        // The failed install is the latest release: with fresh retries helm-controller upgrades it.
        Assert.True(IsReady(reset, "True"));
        Assert.Equal($"Helm upgrade succeeded for release {target}/again.v2 with chart again@1.0.0", Message(Ready(reset)!));
        Assert.Null(Condition(reset, "Stalled"));
        Assert.Null(reset["status"]!["installFailures"]);
        Assert.Equal("deployment.apps/again", (await stack.Kubectl.OkAsync("get", "deployments", "-n", target, "-o", "name")).Trim());
    }

    /// <summary>Sets <c>requestedAt</c> and <c>reconcile.fluxcd.io/ANNOTATION</c> to one new token, as the flux CLI does; returns the token.</summary>
    private async Task<string> RequestAsync(string ns, string name, string annotation)
    {
        var token = $"{DateTimeOffset.UtcNow:O}-{Guid.NewGuid():N}";
        await stack.Client.PatchAsync(KubeResource.HelmRelease, new ObjectKey(ns, name), new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { [Predicates.RequestedAtAnnotation] = token, [$"reconcile.fluxcd.io/{annotation}"] = token },
            },
        }, "merge");
        return token;
    }
}
