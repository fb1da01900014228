namespace Weir.Helm.Charts;

/// <summary>One file of a chart: its path inside the chart (always '/'-separated) and its bytes.</summary>
public sealed record ChartFile(string Name, byte[] Data)
{
    /// <summary>The file's modification time when it came from a directory or an archive entry.</summary>
    public DateTimeOffset? ModTime { get; init; }
}
