using System.Text.Json.Nodes;

namespace Weir.Controllers.Tests.HelmReleases.Options;

/// <summary>The start of every option test: a namespace, a chart in the registry, and an OCIRepository of it there.</summary>
internal static class ChartSetup
{
    private static readonly JsonObject AnyVersion = new() { ["semver"] = ">=0.0.0" };

    /// <summary>Creates <paramref name="ns"/>, then <see cref="AddChartAsync"/>.</summary>
    public static async Task PublishAsync(this HelmReleaseHarness stack, string ns, string chart, IReadOnlyDictionary<string, string> files)
    {
        await stack.CreateNamespaceAsync(ns);
        await stack.AddChartAsync(ns, chart, files);
    }

    /// <summary>Pushes <paramref name="files"/> as <c>charts/NAME</c> and creates the OCIRepository <c>NAME</c> (any version) in <paramref name="ns"/>.</summary>
    public static async Task AddChartAsync(this HelmReleaseHarness stack, string ns, string chart, IReadOnlyDictionary<string, string> files)
    {
        await stack.PushChartAsync($"charts/{chart}", files);
        await stack.CreateChartRepositoryAsync(ns, chart, $"charts/{chart}", AnyVersion);
    }
}
