using System.Formats.Tar;
using System.IO.Compression;
using Weir.Core.Files;

namespace Weir.Runtime.Artifacts;

/// <summary>
/// Extracts a tar.gz into a directory so that nothing outside it can be written or read, by construction:
/// symbolic links are refused (Flux's untar message), a hard link becomes a copy of a regular file this extraction
/// wrote before it, names with <c>..</c> or absolute names are refused, and nothing is written through a link
/// already in the target (<see cref="RootedFileSystem.ResolveForWriting"/>). An existing file is replaced, never
/// written into. Permission bits are kept (setuid, setgid and sticky are dropped; the owner can always read files
/// and enter directories). Sizes and entry counts are bounded. On failure everything this call created is removed.
/// </summary>
public static class SafeExtractor
{
    /// <summary>Extracts <paramref name="tarGz"/> into <paramref name="target"/> (created if missing).</summary>
    public static async Task<ExtractionResult> ExtractAsync(Stream tarGz, string target, ExtractionLimits? limits = null, CancellationToken ct = default)
    {
        limits ??= new ExtractionLimits();
        var full = Path.GetFullPath(target);
        var created = new List<string>();
        if (!Directory.Exists(full))
        {
            Directory.CreateDirectory(full);
            created.Add(full);
        }
        try
        {
            return await new Extraction(new RootedFileSystem(full), limits, created).RunAsync(tarGz, ct);
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

    /// <summary>One extraction: the root, what it created (for cleanup) and the regular files it wrote.</summary>
    private sealed class Extraction(RootedFileSystem root, ExtractionLimits limits, List<string> created)
    {
        private const UnixFileMode Permissions = (UnixFileMode)0b111_111_111;
        private const UnixFileMode ImplicitDirectoryMode = (UnixFileMode)0b111_101_101;
        private const UnixFileMode OwnerCanEnter = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

        private readonly HashSet<string> _files = new(StringComparer.Ordinal);
        private long _total;

        public async Task<ExtractionResult> RunAsync(Stream tarGz, CancellationToken ct)
        {
            await using var gzip = new GZipStream(tarGz, CompressionMode.Decompress, leaveOpen: true);
            await using var limited = new LimitedReadStream(gzip, limits.MaxDecompressedSize);
            await using var reader = new TarReader(limited, leaveOpen: true);
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
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        CreateDirectory(entry.Name, relative, (entry.Mode & Permissions) | OwnerCanEnter);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        Reserve(entry.Name, entry.Length);
                        await WriteFileAsync(entry, relative, ct);
                        files++;
                        break;
                    case TarEntryType.SymbolicLink:
                        throw new ArchiveException($"tar file entry {entry.Name} is a symlink, which is not allowed in this context");
                    case TarEntryType.HardLink:
                        CopyHardLink(entry, relative);
                        files++;
                        break;
                    default:
                        // Devices, FIFOs and other specials carry nothing a source needs.
                        break;
                }
            }
            return new ExtractionResult(files, _total);
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
            return parts.Count == 0 ? null : string.Join('/', parts);
        }

        private void Reserve(string name, long size)
        {
            if (size < 0 || size > limits.MaxTotalSize - _total)
            {
                throw new ArchiveException($"refusing to extract '{name}': its size {size} would exceed the limit of {limits.MaxTotalSize} bytes");
            }
            _total += size;
        }

        // The path to write 'relative' at, its parent directories created; no link is followed on the way.
        private string Prepare(string name, string relative)
        {
            string path;
            try
            {
                path = root.ResolveForWriting(relative);
            }
            catch (PathEscapeException e)
            {
                throw new ArchiveException(
                    $"refusing to extract '{name}': it would be written through the symbolic link '{Path.GetRelativePath(root.Root, e.Path)}'", e);
            }
            var parent = root.Root;
            var parts = relative.Split('/');
            foreach (var part in parts.Take(parts.Length - 1))
            {
                parent = Path.Combine(parent, part);
                if (File.Exists(parent))
                {
                    throw new ArchiveException($"refusing to extract '{name}': '{Path.GetRelativePath(root.Root, parent)}' is a file, not a directory");
                }
                if (!Directory.Exists(parent))
                {
                    Directory.CreateDirectory(parent);
                    created.Add(parent);
                    SetMode(parent, ImplicitDirectoryMode);
                }
            }
            return path;
        }

        private void CreateDirectory(string name, string relative, UnixFileMode mode)
        {
            var path = Prepare(name, relative);
            if (File.Exists(path))
            {
                throw new ArchiveException($"refusing to extract '{name}': a file of that name was already extracted");
            }
            if (!Directory.Exists(path))
            {
                Directory.CreateDirectory(path);
                created.Add(path);
            }
            SetMode(path, mode);
        }

        // A new file at 'relative': an existing one is removed first, so no other name of its inode is written.
        private string NewFile(string name, string relative)
        {
            var path = Prepare(name, relative);
            if (Directory.Exists(path))
            {
                throw new ArchiveException($"refusing to extract '{name}': a directory of that name was already extracted");
            }
            if (File.Exists(path))
            {
                File.Delete(path);
            }
            else
            {
                created.Add(path);
            }
            return path;
        }

        private async Task WriteFileAsync(TarEntry entry, string relative, CancellationToken ct)
        {
            var path = NewFile(entry.Name, relative);
            await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                if (entry.DataStream is { } data)
                {
                    await data.CopyToAsync(output, ct);
                }
            }
            SetMode(path, (entry.Mode & Permissions) | UnixFileMode.UserRead);
            _files.Add(relative);
        }

        private void CopyHardLink(TarEntry entry, string relative)
        {
            var source = entry.LinkName.Length == 0 || entry.LinkName[0] == '/' ? null : NormalizeLinkTarget(entry.LinkName);
            if (source is null || !_files.Contains(source))
            {
                throw new ArchiveException($"refusing to extract '{entry.Name}': hard link to '{entry.LinkName}', which is not a file extracted before it");
            }
            if (source == relative)
            {
                return;
            }
            var sourcePath = root.ResolveForWriting(source);
            var size = new FileInfo(sourcePath).Length;
            Reserve(entry.Name, size);
            var path = NewFile(entry.Name, relative);
            File.Copy(sourcePath, path, overwrite: false);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, File.GetUnixFileMode(sourcePath));
            }
            _files.Add(relative);
        }

        private static string? NormalizeLinkTarget(string name)
        {
            try
            {
                return Normalize(name);
            }
            catch (ArchiveException)
            {
                return null;
            }
        }

        private static void SetMode(string path, UnixFileMode mode)
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, mode);
            }
        }
    }
}

/// <summary>What an extraction wrote.</summary>
public sealed record ExtractionResult(int Files, long TotalSize);
