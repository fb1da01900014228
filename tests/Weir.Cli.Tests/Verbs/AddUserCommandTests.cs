using Weir.Cluster;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary>`weir cluster add-user` with the server stopped (binding created at the next start) and running (through the API).</summary>
public sealed class AddUserCommandTests
{
    private static Task<ProcessResult> RunWeir(params string[] args) => WeirRun.ExecAsync(args);

    [Fact]
    public async Task AddUserBeforeAndWhileTheServerRuns()
    {
        var dataDir = TestEnv.TempDir("weir-adduser-");
        var work = TestEnv.TempDir("weir-adduser-kubectl-");

        var offline = await RunWeir("cluster", "add-user", "dev", "--role", "view", "--namespace", "default", "--data-dir", dataDir);
        Assert.True(offline.Code == 0, offline.Err);
        Assert.Contains("RoleBinding weir-user-dev-view will be created when the cluster next starts", offline.Out, StringComparison.Ordinal);
        var devConfig = Path.Combine(dataDir, "users", "dev.kubeconfig");
        Assert.Contains("certificate-authority-data:", File.ReadAllText(devConfig), StringComparison.Ordinal);

        await using (var server = await ClusterServer.StartAsync(new ClusterOptions { DataDir = dataDir, Port = TestEnv.FreePort() }))
        {
            // The offline kubeconfig named the default port; point it at this run's port.
            File.WriteAllText(devConfig, File.ReadAllText(devConfig).Replace("https://127.0.0.1:6443", server.Address.ToString().TrimEnd('/'), StringComparison.Ordinal));
            var dev = new Kubectl(Kubectl.Path(33), devConfig, work);
            Assert.Contains("No resources found in default namespace.", (await dev.RunAsync("get", "cm")).Err, StringComparison.Ordinal);
            var denied = await dev.RunAsync("get", "cm", "-n", "kube-system");
            Assert.Contains("Error from server (Forbidden): configmaps is forbidden: User \"dev\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"kube-system\"", denied.Err, StringComparison.Ordinal);

            var online = await RunWeir("cluster", "add-user", "ops", "--role", "edit", "--data-dir", dataDir);
            Assert.True(online.Code == 0, online.Err);
            Assert.Contains("ClusterRoleBinding weir-user-ops-edit created", online.Out, StringComparison.Ordinal);
            var ops = new Kubectl(Kubectl.Path(33), Path.Combine(dataDir, "users", "ops.kubeconfig"), work);
            Assert.Contains("configmap/made created", await ops.OkAsync("create", "cm", "made", "-n", "kube-system"), StringComparison.Ordinal);

            var again = await RunWeir("cluster", "add-user", "ops", "--role", "edit", "--data-dir", dataDir);
            Assert.Contains("ClusterRoleBinding weir-user-ops-edit unchanged", again.Out, StringComparison.Ordinal);
            var bad = await RunWeir("cluster", "add-user", "admin", "--role", "edit", "--data-dir", dataDir);
            Assert.Equal(1, bad.Code);
        }
        Directory.Delete(dataDir, recursive: true);
        Directory.Delete(work, recursive: true);
    }
}
