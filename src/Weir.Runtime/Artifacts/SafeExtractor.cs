using System.Formats.Tar;
using System.IO.Compression;

namespace Weir.Runtime.Artifacts;

/// <summary>
/// Extracts a tar.gz into a directory refusing anything that would write outside it:
/// <c>..</c> segments, absolute paths, links whose target escapes, writes through links.
/// Sizes and entry counts are bounded. On failure everything this call created is removed.
/// </summary>
public static class SafeExtractor
{
    /// <summary>Extracts <paramref name="tarGz"/> into <paramref name="target"/> (created if missing).</summary>
    public static async Task<ExtractionResult> ExtractAsync(Stream tarGz, string target, ExtractionLimits? limits = null, CancellationToken ct = default)
    {
        limits ??= new ExtractionLimits();
        var root = Path.GetFullPath(target);
        var created = new List<string>();
        if (!Directory.Exists(root))
        {
            Directory.CreateDirectory(root);
            created.Add(root);
        }
        try
        {
            var result = await ExtractEntriesAsync(tarGz, root, limits, created, ct);
            return result;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            Cleanup(created);
            throw new ArchiveException($"invalid tar.gz archive: {e.Message}", e);
        }
        catch
        {
            Cleanup(created);
            throw;
        }
    }

    private static async Task<ExtractionResult> ExtractEntriesAsync(Stream tarGz, string root, ExtractionLimits limits, List<string> created, CancellationToken ct)
    {
        await using var gzip = new GZipStream(tarGz, CompressionMode.Decompress, leaveOpen: true);
        await using var limited = new LimitedReadStream(gzip, limits.MaxDecompressedSize);
        await using var reader = new TarReader(limited, leaveOpen: true);
        long total = 0;
        var files = 0;
        var entries = 0;
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            if (++entries > limits.MaxEntries)
            {
                throw new ArchiveException($"refusing to extract '{entry.Name}': the archive has more than {limits.MaxEntries} entries");
            }
            var relative = Normalize(entry.Name);
            if (relative is null)
            {
                continue;
            }
            var path = Path.Combine(root, relative);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    EnsureNoLinkOnTheWay(root, path, entry.Name);
                    CreateDirectories(root, path, created);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    if (entry.Length < 0 || entry.Length > limits.MaxTotalSize - total)
                    {
                        throw new ArchiveException($"refusing to extract '{entry.Name}': its size {entry.Length} would exceed the limit of {limits.MaxTotalSize} bytes");
                    }
                    total += entry.Length;
                    await WriteFileAsync(root, path, entry, created, ct);
                    files++;
                    break;
                case TarEntryType.SymbolicLink:
                    CreateSymlink(root, path, entry, created);
                    break;
                case TarEntryType.HardLink:
                    total += CopyHardLink(root, path, entry, limits.MaxTotalSize - total, created);
                    files++;
                    break;
                default:
                    // Devices, FIFOs and other specials carry nothing a source needs.
                    break;
            }
        }
        return new ExtractionResult(files, total);
    }

    // Returns the '/'-joined path inside the target, null for the root itself; throws on escapes.
    private static string? Normalize(string name)
    {
        if (name.Length == 0 || name[0] == '/' || name.Contains('\0') || (name.Length > 1 && name[1] == ':'))
        {
            throw new ArchiveException($"refusing to extract '{name}': absolute path");
        }
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }
            if (part == ".." || part.Contains('\\'))
            {
                throw new ArchiveException($"refusing to extract '{name}': path escapes the target directory");
            }
            parts.Add(part);
        }
        return parts.Count == 0 ? null : Path.Combine([.. parts]);
    }

    private static void EnsureNoLinkOnTheWay(string root, string path, string name)
    {
        var current = root;
        foreach (var part in Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, part);
            var info = new FileInfo(current);
            if (info.Exists || Directory.Exists(current))
            {
                if (info.LinkTarget is not null || new DirectoryInfo(current).LinkTarget is not null)
                {
                    throw new ArchiveException($"refusing to extract '{name}': it would be written through the symbolic link '{Path.GetRelativePath(root, current)}'");
                }
            }
        }
    }

    private static void CreateDirectories(string root, string dir, List<string> created)
    {
        var missing = new Stack<string>();
        for (var d = dir; d.Length > root.Length && !Directory.Exists(d); d = Path.GetDirectoryName(d)!)
        {
            missing.Push(d);
        }
        while (missing.TryPop(out var d))
        {
            Directory.CreateDirectory(d);
            created.Add(d);
        }
    }

    private static async Task WriteFileAsync(string root, string path, TarEntry entry, List<string> created, CancellationToken ct)
    {
        EnsureNoLinkOnTheWay(root, path, entry.Name);
        CreateDirectories(root, Path.GetDirectoryName(path)!, created);
        var existed = File.Exists(path);
        await using (var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            if (!existed)
            {
                created.Add(path);
            }
            if (entry.DataStream is { } data)
            {
                await data.CopyToAsync(output, ct);
            }
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (entry.Mode & (UnixFileMode)0b111_111_111) | UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static void CreateSymlink(string root, string path, TarEntry entry, List<string> created)
    {
        var linkTarget = entry.LinkName;
        if (linkTarget.Length == 0 || Path.IsPathRooted(linkTarget))
        {
            throw new ArchiveException($"refusing to extract '{entry.Name}': symbolic link to absolute path '{linkTarget}'");
        }
        var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, linkTarget));
        if (!IsInside(root, resolved))
        {
            throw new ArchiveException($"refusing to extract '{entry.Name}': symbolic link target '{linkTarget}' escapes the target directory");
        }
        EnsureNoLinkOnTheWay(root, path, entry.Name);
        CreateDirectories(root, Path.GetDirectoryName(path)!, created);
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw new ArchiveException($"refusing to extract '{entry.Name}': a file of that name was already extracted");
        }
        File.CreateSymbolicLink(path, linkTarget);
        created.Add(path);
    }

    private static long CopyHardLink(string root, string path, TarEntry entry, long budget, List<string> created)
    {
        var source = Normalize(entry.LinkName) is { } rel ? Path.Combine(root, rel) : null;
        if (source is null || !File.Exists(source) || new FileInfo(source).LinkTarget is not null)
        {
            throw new ArchiveException($"refusing to extract '{entry.Name}': hard link to '{entry.LinkName}', which is not a file extracted before it");
        }
        var size = new FileInfo(source).Length;
        if (size > budget)
        {
            throw new ArchiveException($"refusing to extract '{entry.Name}': its size {size} would exceed the size limit");
        }
        EnsureNoLinkOnTheWay(root, path, entry.Name);
        CreateDirectories(root, Path.GetDirectoryName(path)!, created);
        var existed = File.Exists(path);
        File.Copy(source, path, overwrite: true);
        if (!existed)
        {
            created.Add(path);
        }
        return size;
    }

    private static bool IsInside(string root, string path) =>
        path == root || path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static void Cleanup(List<string> created)
    {
        for (var i = created.Count - 1; i >= 0; i--)
        {
            try
            {
                var info = new FileInfo(created[i]);
                if (info.LinkTarget is not null || info.Exists)
                {
                    info.Delete();
                }
                else if (Directory.Exists(created[i]))
                {
                    Directory.Delete(created[i], recursive: true);
                }
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>What an extraction wrote.</summary>
public sealed record ExtractionResult(int Files, long TotalSize);
