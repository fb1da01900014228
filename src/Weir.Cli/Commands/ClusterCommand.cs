using System.CommandLine;
using System.Text.Json.Nodes;
using k8s;
using Weir.Cluster;
using Weir.Cluster.Auth;
using Weir.Runtime.Kube;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir cluster --data-dir DIR [--port N]</c>: runs the embedded API server alone until interrupted (HTTPS, admin
/// kubeconfig in DIR/kubeconfig); <c>weir cluster add-user NAME --role view|edit|admin [--namespace NS]</c> adds a
/// restricted user.
/// </summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Directory for the state file, CA, tokens and kubeconfig", Required = true };
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => 6443 };
        var version = new Option<string>("--kubernetes-version") { Description = "Version reported by /version", DefaultValueFactory = _ => Weir.Core.OpenApi.KubernetesOpenApi.ServerVersion };
        var noSimulator = new Option<bool>("--no-simulator") { Description = "Leave workload status alone (by default Deployments and other workloads become Available, Jobs complete, claims bind, Services get Endpoints)" };
        var simulatorDelay = new Option<string>("--simulator-delay") { Description = "How long simulated pods take to become ready, e.g. 2s", DefaultValueFactory = _ => "2s" };
        var command = new Command("cluster", "Run the embedded Kubernetes API server") { dataDir, port, version, noSimulator, simulatorDelay };
        command.Subcommands.Add(AddUser());
        command.SetAction(async (parse, token) =>
        {
            if (!Weir.Core.Time.FluxDuration.TryParse(parse.GetValue(simulatorDelay), out var delay))
            {
                throw new CliUsageException($"invalid --simulator-delay \"{parse.GetValue(simulatorDelay)}\" (use a duration such as 2s or 500ms)");
            }
            var options = new ClusterOptions
            {
                DataDir = Path.GetFullPath(parse.GetValue(dataDir)!),
                Port = parse.GetValue(port),
                KubernetesVersion = parse.GetValue(version)!,
                Simulator = new Weir.Cluster.Simulation.SimulatorOptions
                {
                    Enabled = !parse.GetValue(noSimulator),
                    ReadyDelay = delay,
                },
            };
            await using var server = await ClusterServer.StartAsync(options, token);
            Console.Out.WriteLine($"Kubernetes API server listening on {server.Address.ToString().TrimEnd('/')}");
            Console.Out.WriteLine($"kubeconfig: {server.KubeconfigPath}");
            Console.Out.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C / SIGTERM: stop cleanly.
            }
            return 0;
        });
        return command;
    }

    private static Command AddUser()
    {
        var name = new Argument<string>("NAME") { Description = "User name (as RBAC subjects and Forbidden messages show it)" };
        var role = new Option<string>("--role") { Description = "ClusterRole to bind: view, edit or admin", Required = true };
        role.AcceptOnlyFromAmong([.. ClusterUsers.Roles]);
        var ns = new Option<string?>("--namespace") { Description = "Bind in this namespace only (a RoleBinding); without it, cluster-wide" };
        var dataDir = new Option<string>("--data-dir") { Description = "The cluster's data directory (for `weir up`, its DIR/cluster)", DefaultValueFactory = _ => "." };
        var command = new Command("add-user", "Add a user with a bearer token and write DIR/users/NAME.kubeconfig") { name, role, ns, dataDir };
        command.SetAction(async (parse, token) =>
        {
            var dir = ClusterDir(Path.GetFullPath(parse.GetValue(dataDir)!));
            AddedUser added;
            try
            {
                added = ClusterUsers.Add(dir, parse.GetValue(name)!, parse.GetValue(role)!, parse.GetValue(ns));
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }
            string? created;
            try
            {
                created = await CreateBindingAsync(dir, added.Binding, token);
            }
            catch (KubeApiException e)
            {
                throw new CliException($"creating the binding: {e.Message}");
            }
            if (created is null)
            {
                ClusterUsers.SavePending(dir, added.Binding);
            }
            var kind = added.Binding["kind"]!.GetValue<string>();
            var bindingName = added.Binding["metadata"]!["name"]!.GetValue<string>();
            Console.Out.WriteLine(created switch
            {
                null => $"{kind} {bindingName} will be created when the cluster next starts",
                _ => $"{kind} {bindingName} {created}",
            });
            Console.Out.WriteLine($"kubeconfig: {added.KubeconfigPath}");
            return 0;
        });
        return command;
    }

    /// <summary><c>weir up</c> keeps the cluster in DIR/cluster; accept either directory.</summary>
    private static string ClusterDir(string dir) =>
        !Directory.Exists(Path.Combine(dir, "pki")) && Directory.Exists(Path.Combine(dir, "cluster", "pki")) ? Path.Combine(dir, "cluster") : dir;

    /// <summary>Creates the binding through the running server; null when no server answers.</summary>
    private static async Task<string?> CreateBindingAsync(string dataDir, JsonObject binding, CancellationToken token)
    {
        var kubeconfig = Path.Combine(dataDir, "kubeconfig");
        if (!File.Exists(kubeconfig))
        {
            return null;
        }
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        config.HttpClientTimeout = TimeSpan.FromSeconds(30);
        using var kubernetes = new Kubernetes(config);
        var client = new ResourceClient(kubernetes);
        var ns = binding["metadata"]?["namespace"] is not null;
        var resource = ns ? KubeResource.RoleBinding : KubeResource.ClusterRoleBinding;
        try
        {
            await client.CreateAsync(resource, binding, token);
            return "created";
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            return "unchanged";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException || e.InnerException is HttpRequestException)
        {
            return null;
        }
    }
}
