using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Hosting;
using Weir.Runtime.Kube;

namespace Weir.Cli.Scenarios;

/// <summary>
/// Sets a scenario up on a running <c>weir up</c> stack once (a marker ConfigMap remembers it across restarts),
/// reports each step, and keeps what the scenario owns (extra registries) alive until the stack stops.
/// </summary>
public sealed class ScenarioRunner(Scenario scenario, TextWriter output)
{
    public const string MarkerName = "weir-scenario";

    public async Task RunAsync(EmbeddedStackParts parts, CancellationToken cancellationToken)
    {
        await using var context = new ScenarioContext(parts.Client, parts.RegistryHost)
        {
            ClusterDataDirectory = parts.ClusterDataDir,
            Log = output,
        };
        try
        {
            var marker = await parts.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey(context.Namespace, MarkerName), cancellationToken);
            if (marker?["data"]?["scenario"]?.GetValue<string>() is { } existing)
            {
                output.WriteLine($"Scenario {existing} was set up earlier in this data directory; nothing to do.");
                return;
            }

            output.WriteLine($"Setting up scenario {scenario.Name}: {scenario.Description}");
            await scenario.SetUpAsync(context, cancellationToken);
            await parts.Client.CreateAsync(KubeResource.ConfigMap, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = MarkerName, ["namespace"] = context.Namespace },
                ["data"] = new JsonObject { ["scenario"] = scenario.Name },
            }, cancellationToken);
            output.WriteLine($"Scenario {scenario.Name} is set up. Look at it:");
            foreach (var command in scenario.LookAt(context))
            {
                output.WriteLine($"  {command}");
            }

            foreach (var (what, path) in context.Outputs)
            {
                output.WriteLine($"  {what}: {path}");
            }

            output.Flush();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            output.WriteLine($"Scenario {scenario.Name} failed to set up: {e.Message}");
            output.Flush();
        }
    }
}
