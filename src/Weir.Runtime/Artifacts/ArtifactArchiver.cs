using System.Formats.Tar;
using System.IO.Compression;
using System.IO.Pipelines;
using Weir.Core.Files;

namespace Weir.Runtime.Artifacts;

/// <summary>
/// Packs a directory into a reproducible tar.gz: entries sorted by path, ignored paths left out, symlinks and
/// special files skipped, and, as <c>flux push artifact</c> does, no trace of the machine: modification times
/// zeroed (the Unix epoch), owner 0:0 without names, permission bits kept (setuid, setgid and sticky dropped).
/// The same content and modes yield the same bytes and digest in any process, at any time.
/// </summary>
public static class ArtifactArchiver
{
    /// <summary>The modification time written on every entry.</summary>
    public static readonly DateTimeOffset FixedTime = DateTimeOffset.UnixEpoch;

    /// <summary>
    /// Writes the archive of <paramref name="directory"/> (or of a single file) to <paramref name="output"/>.
    /// <paramref name="rules"/> defaults to Flux's exclusions; <c>.sourceignore</c> files are always read.
    /// </summary>
    public static Task CreateAsync(string directory, Stream output, IgnoreRules? rules = null, CancellationToken ct = default)
    {
        rules ??= IgnoreRules.WithFluxDefaults();
        return CreateAsync(tar => Pack(directory, tar, rules, ct), output, ct);
    }

    /// <summary>
    /// Writes the entries <paramref name="pack"/> adds (built with <see cref="Entry"/>, in the order of
    /// <see cref="Order"/>) to <paramref name="output"/> as a tar.gz, compressed exactly as a directory's archive is.
    /// </summary>
    public static async Task CreateAsync(Action<TarWriter> pack, Stream output, CancellationToken ct = default)
    {
        // Files are read and packed on this task while another compresses what is packed so far: the two overlap
        // (as `tar | gzip` do).
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20, useSynchronizationContext: false));
        var compressing = CompressAsync(pipe.Reader, output, ct);
        try
        {
            // Packing runs synchronously on a thread of its own: TarWriter's async path reads each file through the
            // thread pool, several times slower for a tree of many small files.
            await Task.Factory.StartNew(() => Pack(pack, pipe.Writer), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            await pipe.Writer.CompleteAsync();
        }
        catch (Exception e)
        {
            await pipe.Writer.CompleteAsync(e);
            try
            {
                await compressing;
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // The packing error is the one to report.
            }

            throw;
        }

        await compressing;
    }

    // zlib-ng's output depends on how its input is split between writes: the packed stream is handed to gzip in
    // blocks of one fixed size, whatever segments the pipe delivers, so the same tree gives the same bytes.
    private const int CompressBlock = 1 << 16;

    private static async Task CompressAsync(PipeReader packed, Stream output, CancellationToken ct)
    {
        await Task.Yield();
        var block = new byte[CompressBlock];
        var filled = 0;
        try
        {
            await using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
            while (true)
            {
                var read = await packed.ReadAsync(ct);
                foreach (var segment in read.Buffer)
                {
                    var rest = segment;
                    while (!rest.IsEmpty)
                    {
                        var take = Math.Min(rest.Length, CompressBlock - filled);
                        rest.Span[..take].CopyTo(block.AsSpan(filled));
                        filled += take;
                        rest = rest[take..];
                        if (filled == CompressBlock)
                        {
                            await gzip.WriteAsync(block, ct);
                            filled = 0;
                        }
                    }
                }

                packed.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }

            await gzip.WriteAsync(block.AsMemory(0, filled), ct);
        }
        finally
        {
            await packed.CompleteAsync();
        }
    }

    private static void Pack(Action<TarWriter> pack, PipeWriter writer)
    {
        // Buffered, so the compressing side is woken per block rather than per tar header and file.
        using var packed = new BufferedStream(writer.AsStream(leaveOpen: true), CompressBlock);
        using var tar = new TarWriter(packed, TarEntryFormat.Ustar, leaveOpen: true);
        pack(tar);
    }

    /// <summary>The order entries of one directory are packed in: by name, ordinal.</summary>
    public static readonly StringComparer Order = StringComparer.Ordinal;

    private static void Pack(string directory, TarWriter tar, IgnoreRules rules, CancellationToken ct)
    {
        if (File.Exists(directory))
        {
            AddFile(tar, directory, Path.GetFileName(directory), ModeOf(new FileInfo(directory), FileMode));
        }
        else
        {
            AddDirectory(tar, new RootedFileSystem(directory), "", rules, ct);
        }
    }

    private static void AddDirectory(TarWriter tar, RootedFileSystem root, string relative, IgnoreRules rules, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var full = relative.Length == 0 ? root.Root : Path.Combine(root.Root, relative);
        var ignoreFile = Path.Combine(full, IgnoreRules.SourceIgnoreFile);
        if (File.Exists(ignoreFile))
        {
            // A .sourceignore that is a link is read only where it really lies inside the root.
            rules.Add(relative, File.ReadAllLines(root.Resolve(ignoreFile)));
        }
        var children = new DirectoryInfo(full).EnumerateFileSystemInfos()
            .OrderBy(i => i.Name, Order);
        foreach (var info in children)
        {
            var path = relative.Length == 0 ? info.Name : relative + "/" + info.Name;
            // Attributes and modes come from the one lstat the entry caches (a symbolic link is a reparse point).
            if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                continue;
            }
            if (info is DirectoryInfo)
            {
                if (rules.IsIgnored(path, isDirectory: true))
                {
                    continue;
                }
                tar.WriteEntry(Entry(TarEntryType.Directory, path + "/", ModeOf(info, DirMode)));
                AddDirectory(tar, root, path, rules, ct);
            }
            else if (info is FileInfo file && (file.Attributes & FileAttributes.Device) == 0 && !rules.IsIgnored(path, isDirectory: false))
            {
                AddFile(tar, file.FullName, path, ModeOf(file, FileMode));
            }
        }
    }

    private const UnixFileMode DirMode = (UnixFileMode)0b111_101_101;
    private const UnixFileMode FileMode = (UnixFileMode)0b110_100_100;
    private const UnixFileMode Permissions = (UnixFileMode)0b111_111_111;

    // The permission bits on disk; on Windows, which has none, the usual defaults.
    private static UnixFileMode ModeOf(FileSystemInfo info, UnixFileMode fallback) =>
        OperatingSystem.IsWindows() ? fallback : info.UnixFileMode & Permissions;

    private static void AddFile(TarWriter tar, string fullPath, string path, UnixFileMode mode)
    {
        var entry = Entry(TarEntryType.RegularFile, path, mode);
        using var data = File.OpenRead(fullPath);
        entry.DataStream = data;
        tar.WriteEntry(entry);
    }

    // USTAR headers, as Go's archive/tar writes them for ordinary names. A name beyond USTAR's 100 bytes gets a GNU
    // long-name record rather than a PAX header: .NET names each PAX header after the process id, so the bytes (and
    // the digest) would change from one process to the next.
    private const int UstarNameBytes = 100;

    /// <summary>The header of one entry: <paramref name="name"/> ('/'-separated, a directory's ending in '/'), the fixed time and owner.</summary>
    public static TarEntry Entry(TarEntryType type, string name, UnixFileMode mode)
    {
        PosixTarEntry entry = System.Text.Encoding.UTF8.GetByteCount(name) <= UstarNameBytes
            ? new UstarTarEntry(type, name)
            : new GnuTarEntry(type, name) { AccessTime = FixedTime, ChangeTime = FixedTime };
        entry.ModificationTime = FixedTime;
        entry.Mode = mode;
        entry.Uid = 0;
        entry.Gid = 0;
        entry.UserName = "";
        entry.GroupName = "";
        return entry;
    }
}
