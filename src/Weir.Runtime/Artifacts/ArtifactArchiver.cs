using System.Formats.Tar;
using System.IO.Compression;

namespace Weir.Runtime.Artifacts;

/// <summary>
/// Packs a directory into a deterministic tar.gz: entries sorted by path, fixed mtime,
/// owner and modes, ignored paths left out, symlinks and special files skipped. The same
/// content therefore always yields the same bytes and digest.
/// </summary>
public static class ArtifactArchiver
{
    /// <summary>The modification time written on every entry.</summary>
    public static readonly DateTimeOffset FixedTime = DateTimeOffset.UnixEpoch;

    /// <summary>
    /// Writes the archive of <paramref name="directory"/> (or of a single file) to <paramref name="output"/>.
    /// <paramref name="rules"/> defaults to Flux's exclusions; <c>.sourceignore</c> files are always read.
    /// </summary>
    public static async Task CreateAsync(string directory, Stream output, IgnoreRules? rules = null, CancellationToken ct = default)
    {
        rules ??= IgnoreRules.WithFluxDefaults();
        await using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            if (File.Exists(directory))
            {
                await AddFileAsync(tar, directory, Path.GetFileName(directory), ct);
            }
            else
            {
                await AddDirectoryAsync(tar, Path.GetFullPath(directory), "", rules, ct);
            }
        }
    }

    private static async Task AddDirectoryAsync(TarWriter tar, string root, string relative, IgnoreRules rules, CancellationToken ct)
    {
        var full = relative.Length == 0 ? root : Path.Combine(root, relative);
        var ignoreFile = Path.Combine(full, IgnoreRules.SourceIgnoreFile);
        if (File.Exists(ignoreFile))
        {
            rules.Add(relative, await File.ReadAllLinesAsync(ignoreFile, ct));
        }
        var children = new DirectoryInfo(full).EnumerateFileSystemInfos()
            .OrderBy(i => i.Name, StringComparer.Ordinal);
        foreach (var info in children)
        {
            var path = relative.Length == 0 ? info.Name : relative + "/" + info.Name;
            if (info.LinkTarget is not null)
            {
                continue;
            }
            if (info is DirectoryInfo)
            {
                if (rules.IsIgnored(path, isDirectory: true))
                {
                    continue;
                }
                await tar.WriteEntryAsync(Entry(TarEntryType.Directory, path + "/", DirMode), ct);
                await AddDirectoryAsync(tar, root, path, rules, ct);
            }
            else if (info is FileInfo file && (file.Attributes & FileAttributes.Device) == 0 && !rules.IsIgnored(path, isDirectory: false))
            {
                await AddFileAsync(tar, file.FullName, path, ct);
            }
        }
    }

    private const UnixFileMode DirMode = (UnixFileMode)0b111_101_101;
    private const UnixFileMode FileMode = (UnixFileMode)0b110_100_100;
    private const UnixFileMode ExecMode = (UnixFileMode)0b111_101_101;
    private const UnixFileMode AnyExec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static async Task AddFileAsync(TarWriter tar, string fullPath, string path, CancellationToken ct)
    {
        var mode = OperatingSystem.IsWindows() || (File.GetUnixFileMode(fullPath) & AnyExec) == 0 ? FileMode : ExecMode;
        var entry = Entry(TarEntryType.RegularFile, path, mode);
        await using var data = File.OpenRead(fullPath);
        entry.DataStream = data;
        await tar.WriteEntryAsync(entry, ct);
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, UnixFileMode mode)
    {
        // Explicit extended attributes keep the writer from adding wall-clock atime/ctime.
        var entry = new PaxTarEntry(type, name, new Dictionary<string, string>())
        {
            ModificationTime = FixedTime,
            Mode = mode,
            Uid = 0,
            Gid = 0,
            UserName = "",
            GroupName = "",
        };
        return entry;
    }
}
