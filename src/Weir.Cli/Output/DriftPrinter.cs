using System.Text;
using System.Text.Json.Nodes;
using Weir.Runtime.Apply;

namespace Weir.Cli.Output;

/// <summary>flux diff's blocks for the fields of a drifted object: a path, then <c>+ one value added</c>, <c>- one value removed</c> or <c>± value change</c>.</summary>
public static class DriftPrinter
{
    public static string Render(IEnumerable<FieldChange> changes)
    {
        var sb = new StringBuilder();
        foreach (var c in changes)
        {
            sb.Append('\n').Append(c.Path).Append('\n');
            if (c.Before is null)
            {
                sb.Append("  + one value added\n    + ").Append(Text(c.After)).Append('\n');
            }
            else if (c.After is null)
            {
                sb.Append("  - one value removed\n    - ").Append(Text(c.Before)).Append('\n');
            }
            else
            {
                sb.Append("  ± value change\n    - ").Append(Text(c.Before)).Append("\n    + ").Append(Text(c.After)).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "null";
}
