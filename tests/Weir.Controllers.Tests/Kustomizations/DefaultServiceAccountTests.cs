using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Hosting;
using Weir.Runtime.Kube;
using static Weir.Controllers.Tests.Kustomizations.KustomizeControllerHarness;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.Kustomizations;

/// <summary>The controller with <c>--default-service-account fallback-deployer</c>.</summary>
public sealed class DefaultServiceAccountHarness : KustomizeControllerHarness
{
    protected override ControllerSetOptions Options =>
        base.Options with { Kustomization = KustomizationOptions with { DefaultServiceAccount = "fallback-deployer" } };
}

/// <summary>
/// <c>--default-service-account</c>: a Kustomization naming no service account is applied as the default one (a
/// multi-tenancy lock-down), while one naming an account uses its own.
/// </summary>
public sealed class DefaultServiceAccountTests(DefaultServiceAccountHarness harness) : IClassFixture<DefaultServiceAccountHarness>
{

    [Fact]
    public async Task AKustomizationWithoutAnAccountIsAppliedAsTheDefaultOne()
    {
        await harness.CreateNamespaceAsync("fallback");
        await harness.PushAsync("fallback", "v1.0.0", new Dictionary<string, string>
        {
            ["cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: fallback\n",
        });
        await harness.CreateSourceAsync("fallback", "fallback");
        await harness.CreateKustomizationAsync("fallback", "fallback");

        var refused = await harness.WaitForReadyAsync("fallback", c => IsFalse(c) && c["reason"]!.GetValue<string>() == "ReconciliationFailed");
        Assert.StartsWith("ConfigMap/fallback/settings dry-run failed (Forbidden): ", Message(refused));
        Assert.Contains("system:serviceaccount:flux-system:fallback-deployer", Message(refused));
        Assert.Null(await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("fallback", "settings")));

        await GrantAsync(harness.Client, "fallback", "fallback-deployer", "edit");
        await harness.RequestReconcileAsync(KubeResource.Kustomization, "fallback");
        await harness.WaitForReadyAsync("fallback", IsTrue);
        Assert.NotNull(await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("fallback", "settings")));
    }

    [Fact]
    public async Task AnAccountNamedInTheSpecWinsOverTheDefault()
    {
        await harness.CreateNamespaceAsync("named-sa");
        await harness.PushAsync("named-sa", "v1.0.0", new Dictionary<string, string>
        {
            ["cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: named-sa\n",
        });
        await harness.CreateSourceAsync("named-sa", "named-sa");
        await harness.CreateKustomizationAsync("named-sa", "named-sa", new JsonObject { ["serviceAccountName"] = "team-deployer" });

        var refused = await harness.WaitForReadyAsync("named-sa", c => IsFalse(c) && c["reason"]!.GetValue<string>() == "ReconciliationFailed");
        Assert.Contains("system:serviceaccount:flux-system:team-deployer", Message(refused));
    }
}
