using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Cli.Status;

/// <summary>Renders a <see cref="StatusReport"/>: the verdict line then one line per link, or the same as JSON.</summary>
public static class StatusPrinter
{
    public static void WriteText(StatusReport report, TextWriter output)
    {
        output.WriteLine(report.Summary);
        var width = report.Chain.Max(s => s.Subject.Length);
        foreach (var step in report.Chain)
        {
            output.WriteLine($"  {Mark(step.State)} {step.Subject.PadRight(width)}  {step.Detail}");
        }
    }

    public static void WriteJson(StatusReport report, TextWriter output)
    {
        var json = new JsonObject
        {
            ["verdict"] = report.Verdict.ToString().ToLowerInvariant(),
            ["summary"] = report.Summary,
            ["version"] = report.Version,
            ["live"] = report.Verdict == Verdict.Live,
            ["chain"] = new JsonArray(report.Chain.Select(s => (JsonNode)new JsonObject
            {
                ["subject"] = s.Subject,
                ["state"] = s.State.ToString().ToLowerInvariant(),
                ["detail"] = s.Detail,
            }).ToArray()),
        };
        output.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>flux's marks: ✔ done, ◎ waiting, ✗ failed or blocked, ? unknown.</summary>
    private static string Mark(StepState state) => state switch
    {
        StepState.Ok => "✔",
        StepState.Pending => "◎",
        StepState.Unknown => "?",
        _ => "✗",
    };
}
