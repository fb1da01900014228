using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Hosting;
using Weir.Oci.Distribution;
using Weir.Runtime.Kube;

namespace Weir.Cli.Scenarios;

/// <summary>
/// The Helm half of the scenarios: the demo chart (<see cref="DemoChart"/>) pushed to the scenario's chart repository,
/// and in the app's namespace an OCIRepository selecting its chart layer and the HelmRelease installing it.
/// </summary>
public static class HelmObjects
{
    public const string Name = DemoChart.Name;

    /// <summary>The repository charts are pushed under: the chart is <c>HOST/PREFIX/charts/my-app:VERSION</c>.</summary>
    public static string ChartRepository(ScenarioContext context) => $"{context.RegistryHost}/{context.RepositoryPrefix}/charts";

    /// <summary>What a Helm scenario is read with: the HelmRelease (and its sources) in the app's namespace.</summary>
    public static IEnumerable<string> LookAt(ScenarioContext context, string kinds = "ocirepository,helmrelease") =>
        [$"kubectl get {kinds} -n {context.AppNamespace}", $"kubectl describe helmrelease {Name} -n {context.AppNamespace}"];

    public static async Task PushChartAsync(ScenarioContext context, IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken)
    {
        var digest = await DemoChart.PushAsync(ChartRepository(context), files, cancellationToken);
        context.Log.WriteLine($"  pushed chart oci://{ChartRepository(context)}/{Name} ({digest})");
    }

    /// <summary>An OCIRepository <c>my-app</c> in the app's namespace following the chart's versions in <paramref name="semver"/>.</summary>
    public static Task CreateChartSourceAsync(ScenarioContext context, string semver, CancellationToken cancellationToken) =>
        CreateAsync(context, KubeResource.OCIRepository, new JsonObject
        {
            ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
            ["kind"] = "OCIRepository",
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = context.AppNamespace },
            ["spec"] = new JsonObject
            {
                ["url"] = $"oci://{ChartRepository(context)}/{Name}",
                ["interval"] = "1m",
                ["insecure"] = true,
                ["ref"] = new JsonObject { ["semver"] = semver },
                ["layerSelector"] = new JsonObject { ["mediaType"] = MediaTypes.HelmChartContent, ["operation"] = "copy" },
            },
        }, cancellationToken);

    /// <summary>A HelmRelease <c>my-app</c> in the app's namespace of the chart from <see cref="CreateChartSourceAsync"/>; <paramref name="extra"/> adds spec fields.</summary>
    public static Task CreateReleaseAsync(ScenarioContext context, JsonObject? extra, CancellationToken cancellationToken)
    {
        var spec = new JsonObject
        {
            ["interval"] = "10m",
            ["timeout"] = "30s",
            ["chartRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = Name },
        };
        foreach (var (key, value) in extra ?? [])
        {
            spec[key] = value?.DeepClone();
        }

        return CreateAsync(context, KubeResource.HelmRelease, new JsonObject
        {
            ["apiVersion"] = "helm.toolkit.fluxcd.io/v2",
            ["kind"] = "HelmRelease",
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = context.AppNamespace },
            ["spec"] = spec,
        }, cancellationToken);
    }

    /// <summary>Waits until the app's HelmRelease has a released chart of <paramref name="version"/> with Ready True.</summary>
    public static Task<JsonObject> WaitForReleasedAsync(ScenarioContext context, string version, CancellationToken cancellationToken) =>
        context.WaitForAsync(KubeResource.HelmRelease, new ObjectKey(context.AppNamespace, Name),
            o => o["status"]?["history"] is JsonArray { Count: > 0 } history && history[0]?["chartVersion"]?.GetValue<string>() == version
                && (o["status"]?["conditions"] as JsonArray ?? []).Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True"),
            $"chart {version} released", cancellationToken);

    private static async Task CreateAsync(ScenarioContext context, KubeResource resource, JsonObject obj, CancellationToken cancellationToken)
    {
        await context.CreateAsync(resource, obj, cancellationToken);
        context.Log.WriteLine($"  created {resource.Kind.ToLowerInvariant()}/{obj.Name()} in {context.AppNamespace}");
    }
}
