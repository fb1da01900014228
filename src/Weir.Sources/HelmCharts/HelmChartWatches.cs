using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Sources.HelmCharts;

/// <summary>
/// The watch source-controller sets up for HelmCharts: a chart is requeued when the artifact of its source changes
/// (a new index revision, a new commit, or the same artifact at a new URL), found through an index of the charts by
/// <c>sourceRef</c>, so a new chart version in a repository's index is picked up as soon as the index is stored.
/// </summary>
public static class HelmChartWatches
{
    public const string SourceIndex = "sourceRef";

    /// <summary>Watches the sources of every kind in <paramref name="sources"/> for the charts of <paramref name="charts"/>.</summary>
    public static void Register(ControllerManager manager, Informer charts, IEnumerable<KubeResource> sources)
    {
        charts.Cache.AddIndex(SourceIndex, c => [SourceKey(c)]);
        foreach (var source in sources)
        {
            manager.InformerFor(source).OnChange(change =>
            {
                if (change.New is null || (Artifact(change.Old, "revision") == Artifact(change.New, "revision")
                    && Artifact(change.Old, "url") == Artifact(change.New, "url")))
                {
                    return;
                }

                foreach (var chart in charts.Cache.ByIndex(SourceIndex, $"{source.Kind}/{change.Key}"))
                {
                    manager.Enqueue(KubeResource.HelmChart, chart);
                }
            });
        }
    }

    public static string SourceKey(JsonObject chart)
    {
        var source = chart["spec"]?["sourceRef"];
        return $"{source?["kind"]?.GetValue<string>()}/{chart.Namespace()}/{source?["name"]?.GetValue<string>()}";
    }

    private static string? Artifact(JsonObject? source, string field) => source?["status"]?["artifact"]?[field]?.GetValue<string>();
}
