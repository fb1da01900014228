using Weir.Runtime.Artifacts;

namespace Weir.Helm.Charts;

/// <summary>
/// Reads a chart archive (<c>.tgz</c>) the only safe way Weir extracts anything: <see cref="SafeExtractor"/> unpacks
/// it into a fresh temporary directory (no traversal, no links, bounded size and entry count), the files are read back,
/// and the directory is removed. As Helm's loader, the first path component (the chart's directory) is dropped, a
/// UTF-8 byte order mark is removed, and <c>.helmignore</c> is not applied.
/// </summary>
internal static class ChartArchiveReader
{
    public static IReadOnlyList<ChartFile> Read(Stream archive, string name, ChartLoadLimits limits)
    {
        var buffered = Buffer(archive, name, limits);
        EnsureGzip(buffered, name);
        var temp = Path.Combine(Path.GetTempPath(), "weir-chart-" + Guid.NewGuid().ToString("N"));
        try
        {
            try
            {
                SafeExtractor.ExtractAsync(buffered, temp, new ExtractionLimits
                {
                    MaxTotalSize = limits.MaxTotalSize,
                    MaxEntries = limits.MaxEntries,
                    MaxDecompressedSize = limits.MaxTotalSize + (limits.MaxEntries * 1024L) + (1024 * 1024),
                }).GetAwaiter().GetResult();
            }
            catch (ArchiveException e)
            {
                throw new ChartException($"unable to load chart archive {name}: {e.Message}", e);
            }

            return Collect(temp, limits);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    private static Stream Buffer(Stream archive, string name, ChartLoadLimits limits)
    {
        if (archive.CanSeek)
        {
            return archive;
        }

        var copy = new MemoryStream();
        archive.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    private static void EnsureGzip(Stream stream, string name)
    {
        var start = stream.Position;
        Span<byte> magic = stackalloc byte[3];
        var read = stream.ReadAtLeast(magic, 3, throwOnEndOfStream: false);
        stream.Position = start;
        if (read < 3 || magic[0] != 0x1f || magic[1] != 0x8b || magic[2] != 0x08)
        {
            if (name.EndsWith(".yml", StringComparison.Ordinal) || name.EndsWith(".yaml", StringComparison.Ordinal))
            {
                throw new ChartException($"file '{name}' seems to be a YAML file, but expected a gzipped archive");
            }

            throw new ChartException($"file '{name}' does not appear to be a gzipped archive; got 'application/octet-stream'");
        }
    }

    private static List<ChartFile> Collect(string root, ChartLoadLimits limits)
    {
        var files = new List<ChartFile>();
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var entry = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            var slash = entry.IndexOf('/');
            if (slash < 0)
            {
                throw new ChartException(entry == "Chart.yaml"
                    ? "chart yaml not in base directory"
                    : $"chart illegally contains content outside the base directory: {ChartMetadata.Quote(entry)}");
            }

            var info = new FileInfo(path);
            if (info.Length > limits.MaxFileSize)
            {
                throw new ChartException($"decompressed chart file {ChartMetadata.Quote(entry)} is larger than the maximum file size {limits.MaxFileSize}");
            }

            var data = File.ReadAllBytes(path);
            if (data.AsSpan().StartsWith("\uFEFF"u8))
            {
                data = data[3..];
            }

            files.Add(new ChartFile(entry[(slash + 1)..], data) { ModTime = info.LastWriteTimeUtc });
        }

        if (files.Count == 0)
        {
            throw new ChartException("no files in chart archive");
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return files;
    }
}
