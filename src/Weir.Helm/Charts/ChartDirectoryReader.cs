using Weir.Core.Files;

namespace Weir.Helm.Charts;

/// <summary>
/// Reads the files of a chart directory as Helm's directory loader does — lexical order, <c>.helmignore</c> applied,
/// symbolic links followed, irregular files refused, a UTF-8 byte order mark removed — but every path is resolved
/// through <see cref="RootedFileSystem"/>, so no link leads a read outside the chart, and sizes and counts are bounded.
/// </summary>
internal sealed class ChartDirectoryReader(ChartLoadLimits limits)
{
    private readonly List<ChartFile> files = [];
    private long total;
    private int entries;

    public IReadOnlyList<ChartFile> Read(string directory)
    {
        var root = new RootedFileSystem(directory);
        var ignoreFile = Path.Combine(root.Root, HelmIgnore.FileName);
        var rules = File.Exists(ignoreFile) ? HelmIgnore.Parse(File.ReadAllText(root.Resolve(ignoreFile))) : HelmIgnore.Empty();
        rules.AddDefaults();
        Walk(root, rules, root.Root, "", 0);
        return files;
    }

    private void Walk(RootedFileSystem root, HelmIgnore rules, string realDirectory, string relative, int depth)
    {
        if (depth > 64)
        {
            throw new ChartException($"chart directory {ChartMetadata.Quote(relative)} is nested too deeply (a symbolic link loop?)");
        }

        var names = Directory.GetFileSystemEntries(realDirectory).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var path = relative.Length == 0 ? name : relative + "/" + name;
            if (++entries > limits.MaxEntries)
            {
                throw new ChartException($"chart has more than {limits.MaxEntries} files and directories");
            }

            string real;
            try
            {
                real = root.Resolve(Path.Combine(realDirectory, name));
            }
            catch (PathEscapeException)
            {
                throw new ChartException($"chart file {ChartMetadata.Quote(path)} is a symbolic link that leads outside the chart");
            }
            catch (IOException e)
            {
                throw new ChartException($"error reading {path}: {e.Message}", e);
            }

            if (Directory.Exists(real))
            {
                if (!rules.Ignore(path, isDirectory: true))
                {
                    Walk(root, rules, real, path, depth + 1);
                }

                continue;
            }

            if (rules.Ignore(path, isDirectory: false))
            {
                continue;
            }

            var info = new FileInfo(real);
            if (info.Length > limits.MaxFileSize)
            {
                throw new ChartException($"chart file {ChartMetadata.Quote(name)} is larger than the maximum file size {limits.MaxFileSize}");
            }

            total += info.Length;
            if (total > limits.MaxTotalSize)
            {
                throw new ChartException($"chart is larger than the maximum size {limits.MaxTotalSize}");
            }

            // An empty length is never opened: FIFOs and devices report it, and reading them could block or never end.
            var data = info.Length == 0 ? [] : ReadPrefix(real, (int)info.Length);
            if (data.AsSpan().StartsWith("\uFEFF"u8))
            {
                data = data[3..];
            }

            files.Add(new ChartFile(path, data) { ModTime = info.LastWriteTimeUtc });
        }
    }

    private static byte[] ReadPrefix(string path, int length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
        var buffer = new byte[length];
        var read = stream.ReadAtLeast(buffer, length, throwOnEndOfStream: false);
        return read == length ? buffer : buffer[..read];
    }
}
