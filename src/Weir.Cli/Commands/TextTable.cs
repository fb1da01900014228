using System.Text;

namespace Weir.Cli.Commands;

/// <summary>Left-aligned columns separated by three spaces, as kubectl and flux print tables.</summary>
public static class TextTable
{
    public static string Render(IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend([.. headers]).ToList();
        var widths = headers.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in all)
        {
            sb.AppendLine(string.Join("   ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
        return sb.ToString();
    }
}
