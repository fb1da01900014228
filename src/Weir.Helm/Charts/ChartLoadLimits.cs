namespace Weir.Helm.Charts;

/// <summary>Bounds on what loading a chart reads, against hostile or runaway charts (Helm's sizes by default).</summary>
public sealed record ChartLoadLimits
{
    public static ChartLoadLimits Default { get; } = new();

    /// <summary>Largest single file (Helm's MaxDecompressedFileSize, 5 MiB).</summary>
    public long MaxFileSize { get; init; } = 5L * 1024 * 1024;

    /// <summary>Largest sum of file sizes of one chart archive or directory (Helm's MaxDecompressedChartSize, 100 MiB).</summary>
    public long MaxTotalSize { get; init; } = 100L * 1024 * 1024;

    /// <summary>Most files and directories in one chart (subcharts included).</summary>
    public int MaxEntries { get; init; } = 20_000;

    /// <summary>Deepest nesting of subcharts inside subcharts.</summary>
    public int MaxSubchartDepth { get; init; } = 30;
}
