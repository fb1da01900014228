namespace Weir.Runtime.Artifacts;

/// <summary>Bounds on what <see cref="SafeExtractor"/> writes, against hostile or runaway archives.</summary>
public sealed record ExtractionLimits
{
    /// <summary>Largest sum of file sizes.</summary>
    public long MaxTotalSize { get; init; } = 1L * 1024 * 1024 * 1024;

    /// <summary>Most entries (files, directories, links).</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>Largest decompressed tar stream (headers and padding included): the gzip-bomb guard.</summary>
    public long MaxDecompressedSize { get; init; } = 1L * 1024 * 1024 * 1024 + 64L * 1024 * 1024;
}

/// <summary>An archive was refused; the message names the offending entry.</summary>
public sealed class ArchiveException(string message, Exception? inner = null) : Exception(message, inner);
