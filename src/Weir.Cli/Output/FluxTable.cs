using System.Text;

namespace Weir.Cli.Output;

/// <summary>
/// Tables laid out as the flux CLI prints them (tablewriter, no borders): headers upper-cased, every cell
/// left-aligned and padded to its column's width, cells followed by a tab — the header's last cell by a space.
/// An optional colouring step marks READY cells on a terminal after the widths are computed.
/// </summary>
public static class FluxTable
{
    public static string Render(IReadOnlyList<string>? headers, IReadOnlyList<string[]> rows, Func<int, string, string>? colour = null)
    {
        var columns = headers?.Count ?? rows.FirstOrDefault()?.Length ?? 0;
        var widths = new int[columns];
        foreach (var row in (headers is null ? rows : rows.Prepend([.. headers])))
        {
            for (var i = 0; i < columns; i++)
            {
                widths[i] = Math.Max(widths[i], Cell(row, i).Length);
            }
        }

        var sb = new StringBuilder();
        if (headers is { Count: > 0 })
        {
            for (var i = 0; i < columns; i++)
            {
                sb.Append(headers[i].ToUpperInvariant().PadRight(widths[i])).Append(i == columns - 1 ? ' ' : '\t');
            }

            sb.Append('\n');
        }

        foreach (var row in rows)
        {
            for (var i = 0; i < columns; i++)
            {
                var padded = Cell(row, i).PadRight(widths[i]);
                sb.Append(colour is null ? padded : colour(i, padded)).Append('\t');
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Cell(string[] row, int i) => i < row.Length ? row[i] : "";
}
