namespace Weir.Cli.Tests.Verbs;

/// <summary>
/// Checks flux's table layout (tablewriter with tab padding, no borders): every cell padded to its column's
/// width and followed by a tab, the header upper-cased with a space after its last cell. Returns the cells, trimmed.
/// </summary>
public static class FluxTableAssert
{
    public static List<string[]> Parse(string output, params string[] headers)
    {
        var lines = output.Split('\n').TakeWhile(l => l.Length > 0).ToList();
        Assert.NotEmpty(lines);
        var header = lines[0];
        Assert.EndsWith(" ", header);
        Assert.Equal(headers, header[..^1].Split('\t').Select(c => c.TrimEnd()));
        var widths = header[..^1].Split('\t').Select(c => c.Length).ToArray();
        var rows = new List<string[]> { headers };
        foreach (var line in lines.Skip(1))
        {
            Assert.EndsWith("\t", line);
            var cells = line[..^1].Split('\t');
            Assert.Equal(headers.Length, cells.Length);
            for (var i = 0; i < cells.Length; i++)
            {
                Assert.True(cells[i].Length == widths[i], $"column {headers[i]} of '{line}' is not padded to {widths[i]}");
            }

            rows.Add([.. cells.Select(c => c.TrimEnd())]);
        }

        Assert.Equal(widths.Length == 0 ? 0 : widths[^1], Math.Max(headers[^1].Length, rows.Max(r => r[^1].Length)));
        return rows.Skip(1).ToList();
    }
}
