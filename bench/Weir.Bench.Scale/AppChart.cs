using System.Text.Json.Nodes;
using Weir.Hosting;
using Weir.Oci.Distribution;

namespace Weir.Bench.Scale;

/// <summary>
/// The HelmRelease variant of the Flux benchmark: the app's four objects (<see cref="AppManifests"/>) as one chart,
/// named by the release, pushed once to the registry as Helm pushes it; one OCIRepository selects its chart layer and
/// every HelmRelease installs it from there.
/// </summary>
internal static class AppChart
{
    private const string Name = "app";
    private const string Version = "1.0.0";

    public static async Task PushAsync(string repository)
    {
        var manifest = AppManifests.Files["app.yaml"]
            .Replace("${app}", "{{ .Release.Name }}", StringComparison.Ordinal)
            .Replace("namespace: apps", "namespace: {{ .Release.Namespace }}", StringComparison.Ordinal);
        await DemoChart.PushAsync(repository, new Dictionary<string, string>
        {
            ["Chart.yaml"] = $"apiVersion: v2\nname: {Name}\nversion: {Version}\nappVersion: 6.5.0\n",
            ["values.yaml"] = "{}\n",
            ["templates/app.yaml"] = manifest,
        }, CancellationToken.None);
    }

    public static JsonObject Source(string repository) => new()
    {
        ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
        ["kind"] = "OCIRepository",
        ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = AppManifests.Namespace },
        ["spec"] = new JsonObject
        {
            ["url"] = $"oci://{repository}/{Name}",
            ["interval"] = "60m",
            ["insecure"] = true,
            ["ref"] = new JsonObject { ["tag"] = Version },
            ["layerSelector"] = new JsonObject { ["mediaType"] = MediaTypes.HelmChartContent, ["operation"] = "copy" },
        },
    };

    public static JsonObject Release(string name) => new()
    {
        ["apiVersion"] = "helm.toolkit.fluxcd.io/v2",
        ["kind"] = "HelmRelease",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = AppManifests.Namespace },
        ["spec"] = new JsonObject
        {
            ["interval"] = "60m",
            ["timeout"] = "5m",
            ["chartRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = Name },
        },
    };
}
