using System.Text.Json.Nodes;
using Weir.Helm.Charts;
using Weir.Templates.Formatting;
using Weir.Templates.Values;

namespace Weir.Helm.Releases;

/// <summary>
/// A chart as Helm's release record holds it (<c>pkg/chart/v2.Chart</c>): metadata, lock, templates, default values,
/// schema, the other files, each file's bytes in base64. Subcharts are not part of it, as in Helm.
/// </summary>
public static class ReleaseChartJson
{
    private const string ZeroTime = "0001-01-01T00:00:00Z";

    public static JsonObject Write(Chart chart)
    {
        var o = new JsonObject
        {
            ["metadata"] = chart.Metadata.ToJson(),
            ["lock"] = chart.Lock?.ToJson(),
            ["templates"] = Files(chart.Templates),
            ["values"] = JsonNode.Parse(GoJson.Marshal(Value.Map(chart.Values))),
            ["schema"] = chart.Schema is { } schema ? Convert.ToBase64String(schema) : null,
            ["schemamodtime"] = ZeroTime,
            ["files"] = Files(chart.Files),
        };
        return o;
    }

    private static JsonArray Files(IReadOnlyList<ChartFile> files) =>
        new(files.Select(f =>
        {
            var o = new JsonObject { ["name"] = f.Name, ["data"] = Convert.ToBase64String(f.Data) };
            if (f.ModTime is { } t)
            {
                o["modtime"] = ReleaseJson.FormatTime(t);
            }

            return (JsonNode?)o;
        }).ToArray());
}
