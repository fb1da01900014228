using System.CommandLine;
using Weir.Cli.Hosting;

namespace Weir.Cli.Commands;

/// <summary><c>weir up</c>: the embedded stack (API server, registry, controllers) on this machine.</summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Where state, artifacts and the kubeconfig live", DefaultValueFactory = _ => ".weir" };
        var apiPort = new Option<int>("--api-port") { Description = "Port of the Kubernetes API server on 127.0.0.1", DefaultValueFactory = _ => 6443 };
        var registryPort = new Option<int>("--registry-port") { Description = "Port of the OCI registry on 127.0.0.1", DefaultValueFactory = _ => 5050 };
        var demo = new Option<bool>("--demo") { Description = "Push a sample app as v1.0.0 and create an OCIRepository tracking it" };
        var command = new Command("up", "Run Weir embedded: Kubernetes API server, OCI registry and controllers") { dataDir, apiPort, registryPort, demo };
        command.SetAction(async (parse, token) =>
        {
            var stack = new EmbeddedStack(new EmbeddedStackOptions
            {
                DataDir = parse.GetValue(dataDir)!,
                ApiPort = parse.GetValue(apiPort),
                RegistryPort = parse.GetValue(registryPort),
                Demo = parse.GetValue(demo),
            });
            try
            {
                await stack.RunAsync(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Ctrl-C: stopped cleanly, state persists.
            }

            return 0;
        });
        return command;
    }
}
