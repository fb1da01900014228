using System.CommandLine;
using Weir.Cli.Scenarios;
using Weir.Hosting;

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
        var scenario = new Option<string?>("--scenario") { Description = "Set up one of the seed scenarios for practice (see --list-scenarios)" };
        var listScenarios = new Option<bool>("--list-scenarios") { Description = "List the scenarios --scenario sets up" };
        var command = new Command("up", "Run Weir embedded: Kubernetes API server, OCI registry and controllers")
        {
            dataDir, apiPort, registryPort, demo, scenario, listScenarios,
        };
        command.SetAction(async (parse, token) =>
        {
            if (parse.GetValue(listScenarios))
            {
                ScenarioList.Write(Console.Out);
                return 0;
            }

            Scenario? chosen = null;
            if (parse.GetValue(scenario) is { } name)
            {
                chosen = ScenarioCatalog.Find(name)
                    ?? throw new CliUsageException($"unknown scenario '{name}'; weir up --list-scenarios lists them");
            }

            var stack = new EmbeddedStack(new EmbeddedStackOptions
            {
                DataDir = parse.GetValue(dataDir)!,
                ApiPort = parse.GetValue(apiPort),
                RegistryPort = parse.GetValue(registryPort),
                Demo = parse.GetValue(demo),
                AfterStart = chosen is null ? null : new ScenarioRunner(chosen, Console.Out).RunAsync,
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
