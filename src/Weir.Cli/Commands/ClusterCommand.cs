using System.CommandLine;
using Weir.Cluster;

namespace Weir.Cli.Commands;

/// <summary><c>weir cluster --data-dir DIR [--port N]</c>: runs the embedded API server alone until interrupted.</summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Directory for the state file and kubeconfig", Required = true };
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => 6443 };
        var version = new Option<string>("--kubernetes-version") { Description = "Version reported by /version", DefaultValueFactory = _ => "v1.32.0" };
        var command = new Command("cluster", "Run the embedded Kubernetes API server") { dataDir, port, version };
        command.SetAction(async (parse, token) =>
        {
            var options = new ClusterOptions
            {
                DataDir = Path.GetFullPath(parse.GetValue(dataDir)!),
                Port = parse.GetValue(port),
                KubernetesVersion = parse.GetValue(version)!,
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
}
