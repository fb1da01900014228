using System.Text;
using System.Text.Json.Nodes;
using Weir.Runtime.Kube;
using Weir.Testing;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.HelmReleases.Behaviours;

/// <summary>
/// Who a release is made as and where it lands: <c>serviceAccountName</c> (the embedded API server's impersonation and
/// RBAC decide what the release may do) and <c>kubeConfig</c> (a second embedded API server receives the release while
/// the HelmRelease's status and events stay local).
/// </summary>
public sealed class ReleaseTargetTests(HelmReleaseHarness stack, EmbeddedCluster remote)
    : IClassFixture<HelmReleaseHarness>, IClassFixture<EmbeddedCluster>
{
    [Fact]
    public async Task AServiceAccountWithoutRbacIsForbiddenAndWithRbacInstalls()
    {
        const string ns = "hr-tenant";
        await stack.PrepareChartAsync(ns, "tenant");
        await stack.CreateHelmReleaseAsync(ns, "tenant", "tenant", new JsonObject { ["serviceAccountName"] = "deployer" });

        var refused = await stack.WaitForHelmReleaseAsync(ns, "tenant", r => IsReady(r, "False") && Message(Ready(r)!).Contains("forbidden"), "forbidden");
        var message = Message(Ready(refused)!);
        Assert.Contains($"User \"system:serviceaccount:{ns}:deployer\" cannot ", message);
        Assert.Equal("", (await stack.Kubectl.OkAsync("get", "secrets,deployments,configmaps", "-n", ns, "-l", "owner=helm", "-o", "name")).Trim());
        Assert.Equal("", (await stack.Kubectl.OkAsync("get", "deployments", "-n", ns, "-o", "name")).Trim());

        // The account may now act in its namespace (the bootstrap 'admin' ClusterRole, bound there).
        await stack.Client.CreateAsync(new KubeResource("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"), new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = new JsonObject { ["name"] = "deployer", ["namespace"] = ns },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "admin" },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "deployer", ["namespace"] = ns }),
        });
        await stack.RequestAsync(KubeResource.HelmRelease, ns, "tenant");
        var installed = await stack.WaitForHelmReleaseAsync(ns, "tenant", r => IsReady(r, "True"), "installed with the account's permissions");
        Assert.Equal($"Helm install succeeded for release {ns}/tenant.v1 with chart tenant@1.0.0", Message(Ready(installed)!));
        Assert.Equal("deployment.apps/tenant", (await stack.Kubectl.OkAsync("get", "deployments", "-n", ns, "-o", "name")).Trim());
    }

    [Fact]
    public async Task AKubeConfigSecretSendsTheReleaseToAnotherClusterWhileStatusAndEventsStayLocal()
    {
        const string ns = "hr-remote";
        await stack.PrepareChartAsync(ns, "far");
        await remote.Client.CreateAsync(KubeResource.Namespace, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = ns },
        });
        await stack.Client.CreateAsync(KubeResource.Secret, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "remote-kubeconfig", ["namespace"] = ns },
            ["data"] = new JsonObject { ["value"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(File.ReadAllText(remote.Server.KubeconfigPath!))) },
        });
        await stack.CreateHelmReleaseAsync(ns, "far", "far", new JsonObject
        {
            ["kubeConfig"] = new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "remote-kubeconfig" } },
        });

        var installed = await stack.WaitForHelmReleaseAsync(ns, "far", r => IsReady(r, "True"), "installed on the remote cluster");
        Assert.Equal($"Helm install succeeded for release {ns}/far.v1 with chart far@1.0.0", Message(Ready(installed)!));
        var remoteKubectl = stack.Kubectl.As(remote.Server.KubeconfigPath!);
        Assert.Equal("deployment.apps/far", (await remoteKubectl.OkAsync("get", "deployments", "-n", ns, "-o", "name")).Trim());
        Assert.Equal("secret/sh.helm.release.v1.far.v1", (await remoteKubectl.OkAsync("get", "secrets", "-n", ns, "-l", "owner=helm", "-o", "name")).Trim());
        Assert.Equal("", (await stack.Kubectl.OkAsync("get", "deployments", "-n", ns, "-o", "name")).Trim());
        Assert.Equal("", (await stack.Kubectl.OkAsync("get", "secrets", "-n", ns, "-l", "owner=helm", "-o", "name")).Trim());
        Assert.Contains(await stack.EventsAsync(ns, "far"), e => e["reason"]!.GetValue<string>() == "InstallSucceeded");
        var (remoteEvents, _) = await remote.Client.ListAsync(KubeResource.Event, ns);
        Assert.DoesNotContain(remoteEvents, e => e["involvedObject"]?["kind"]?.GetValue<string>() == "HelmRelease");

        // Deleting the HelmRelease uninstalls the release from the remote cluster.
        await stack.Kubectl.OkAsync("delete", "helmrelease", "far", "-n", ns, "--wait=true", "--timeout=30s");
        Assert.Equal("", (await remoteKubectl.OkAsync("get", "deployments,secrets", "-n", ns, "-l", "owner=helm", "-o", "name")).Trim());
        Assert.Equal("", (await remoteKubectl.OkAsync("get", "deployments", "-n", ns, "-o", "name")).Trim());
    }

    [Fact]
    public async Task AKubeConfigWithAMissingSecretSaysSo()
    {
        const string ns = "hr-remote-missing";
        await stack.PrepareChartAsync(ns, "nowhere");
        await stack.CreateHelmReleaseAsync(ns, "nowhere", "nowhere", new JsonObject
        {
            ["kubeConfig"] = new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "absent" } },
        });

        var failed = await stack.WaitForHelmReleaseAsync(ns, "nowhere", r => IsReady(r, "False") && Message(Ready(r)!).Contains("absent"), "failed");
        Assert.Contains($"KubeConfig secret '{ns}/absent'", Message(Ready(failed)!));
        Assert.Equal("", (await stack.Kubectl.OkAsync("get", "secrets", "-n", ns, "-l", "owner=helm", "-o", "name")).Trim());
    }
}
