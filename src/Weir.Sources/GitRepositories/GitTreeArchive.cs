using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Weir.Runtime.Artifacts;

namespace Weir.Sources.GitRepositories;

/// <summary>
/// Packs a fetched commit into its artifact straight from the git objects, without writing a work tree: the same
/// bytes <see cref="ArtifactArchiver"/> writes for the commit's checkout (entry order, modes as a checkout under this
/// process's umask leaves them, the ignore rules with every <c>.sourceignore</c>, symbolic links left out). A commit
/// whose checkout could differ from its objects is declined and must be checked out: one with a
/// <c>.gitattributes</c> (line endings, filters), a submodule (a checkout leaves its empty directory) or a
/// <c>.sourceignore</c> that is a symbolic link (read where it leads, if inside the tree).
/// </summary>
public sealed class GitTreeArchive(GitCommand git, string gitDir)
{
    private const string TreeMode = "040000";
    private const string ExecutableMode = "100755";
    private const string FileMode = "100644";

    /// <summary>Writes the artifact of commit <paramref name="hash"/> to <paramref name="output"/>; false (nothing written) when it needs a checkout.</summary>
    public async Task<bool> TryCreateAsync(string hash, Stream output, IgnoreRules rules, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows() || Umask() is not { } umask)
        {
            return false;
        }

        var root = await ListAsync(hash, cancellationToken);
        if (root is null)
        {
            return false;
        }

        var ignoreFiles = new List<Node>();
        Collect(root, n => n.Mode is FileMode or ExecutableMode && n.Name == IgnoreRules.SourceIgnoreFile, ignoreFiles);
        var ignoreLines = new Dictionary<string, string[]>(StringComparer.Ordinal);
        await ReadBlobsAsync(ignoreFiles.Select(n => n.ObjectId).Distinct().ToList(), (id, content) => ignoreLines[id] = Lines(content), cancellationToken);

        var entries = new List<(string Path, Node Node)>();
        Plan(root, "", rules, ignoreLines, entries);
        var dirMode = (UnixFileMode)0b111_111_111 & ~umask;
        var fileMode = (UnixFileMode)0b110_110_110 & ~umask;
        var files = entries.Where(e => e.Node.Mode != TreeMode).Select(e => e.Node.ObjectId).ToList();
        await git.ExchangeAsync(gitDir, ["cat-file", "--batch"], async (requests, blobs) =>
        {
            var asking = AskAsync(requests, files, cancellationToken);
            await ArtifactArchiver.CreateAsync(tar =>
            {
                var reader = new BlobReader(blobs);
                foreach (var (path, node) in entries)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (node.Mode == TreeMode)
                    {
                        tar.WriteEntry(ArtifactArchiver.Entry(TarEntryType.Directory, path + "/", dirMode));
                        continue;
                    }

                    var entry = ArtifactArchiver.Entry(TarEntryType.RegularFile, path, node.Mode == ExecutableMode ? dirMode : fileMode);
                    entry.DataStream = reader.Next(node.ObjectId);
                    tar.WriteEntry(entry);
                }
            }, output, cancellationToken);
            await asking;
        }, cancellationToken);
        return true;
    }

    private sealed record Node(string Name, string Mode, string ObjectId)
    {
        public List<Node> Children { get; } = [];
    }

    /// <summary>The commit's tree, or null when it holds something a checkout would write differently.</summary>
    private async Task<Node?> ListAsync(string hash, CancellationToken cancellationToken)
    {
        // -t lists each tree before what it holds, so a parent is always known before its children.
        var listing = await git.RunAsync(gitDir, ["ls-tree", "-r", "-t", "-z", "--full-tree", hash], cancellationToken);
        var root = new Node("", TreeMode, "");
        var trees = new Dictionary<string, Node>(StringComparer.Ordinal) { [""] = root };
        foreach (var record in listing.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = record.IndexOf('\t', StringComparison.Ordinal);
            var meta = record[..tab].Split(' ');
            var path = record[(tab + 1)..];
            var slash = path.LastIndexOf('/');
            var node = new Node(path[(slash + 1)..], meta[0], meta[2]);
            var gitlink = node.Mode == "160000";
            var linkedIgnore = node.Mode == "120000" && node.Name == IgnoreRules.SourceIgnoreFile;
            if (gitlink || linkedIgnore || node.Name == ".gitattributes")
            {
                return null;
            }

            trees[slash < 0 ? "" : path[..slash]].Children.Add(node);
            if (node.Mode == TreeMode)
            {
                trees[path] = node;
            }
        }

        return root;
    }

    private static void Collect(Node tree, Func<Node, bool> match, List<Node> found)
    {
        foreach (var child in tree.Children)
        {
            if (match(child))
            {
                found.Add(child);
            }

            Collect(child, match, found);
        }
    }

    // The walk ArtifactArchiver makes of a checkout: a directory's .sourceignore first, then its entries by name.
    private static void Plan(Node tree, string relative, IgnoreRules rules, Dictionary<string, string[]> ignoreLines, List<(string, Node)> entries)
    {
        if (tree.Children.Find(n => n.Mode is FileMode or ExecutableMode && n.Name == IgnoreRules.SourceIgnoreFile) is { } ignoreFile)
        {
            rules.Add(relative, ignoreLines[ignoreFile.ObjectId]);
        }

        foreach (var child in tree.Children.OrderBy(n => n.Name, ArtifactArchiver.Order))
        {
            var path = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
            if (child.Mode == TreeMode)
            {
                if (!rules.IsIgnored(path, isDirectory: true))
                {
                    entries.Add((path, child));
                    Plan(child, path, rules, ignoreLines, entries);
                }
            }
            else if (child.Mode is FileMode or ExecutableMode && !rules.IsIgnored(path, isDirectory: false))
            {
                entries.Add((path, child));
            }
        }
    }

    // As File.ReadAllLines reads the .sourceignore of a checkout.
    private static string[] Lines(MemoryStream content)
    {
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return [.. lines];
    }

    private async Task ReadBlobsAsync(IReadOnlyList<string> ids, Action<string, MemoryStream> read, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await git.ExchangeAsync(gitDir, ["cat-file", "--batch"], async (requests, blobs) =>
        {
            var asking = AskAsync(requests, ids, cancellationToken);
            var reader = new BlobReader(blobs);
            foreach (var id in ids)
            {
                read(id, reader.Next(id));
            }

            await asking;
        }, cancellationToken);
    }

    private static async Task AskAsync(Stream requests, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        await Task.Yield();
        await using var writer = new StreamWriter(requests, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        foreach (var id in ids)
        {
            await writer.WriteLineAsync(id.AsMemory(), cancellationToken);
        }

        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>Reads <c>git cat-file --batch</c>'s answers: a header line, the content, a newline.</summary>
    private sealed class BlobReader(Stream blobs)
    {
        private readonly BufferedStream _input = new(blobs, 1 << 16);
        private byte[] _buffer = new byte[1 << 16];

        /// <summary>The next object's content, valid until the next call.</summary>
        public MemoryStream Next(string id)
        {
            var header = Header().Split(' ');
            if (header.Length != 3 || header[0] != id || header[1] != "blob")
            {
                throw new GitException($"git cat-file answered '{string.Join(' ', header)}' for object {id}");
            }

            var size = int.Parse(header[2], NumberStyles.None, CultureInfo.InvariantCulture);
            if (_buffer.Length < size)
            {
                _buffer = new byte[Math.Max(size, _buffer.Length * 2)];
            }

            _input.ReadExactly(_buffer, 0, size);
            if (_input.ReadByte() != '\n')
            {
                throw new GitException($"git cat-file's answer for object {id} ended unexpectedly");
            }

            return new MemoryStream(_buffer, 0, size, writable: false);
        }

        private string Header()
        {
            var line = new StringBuilder();
            for (var b = _input.ReadByte(); b != '\n'; b = _input.ReadByte())
            {
                if (b < 0)
                {
                    throw new GitException("git cat-file ended before answering every object");
                }

                line.Append((char)b);
            }

            return line.ToString();
        }
    }

    // The umask a checkout's files and directories are created under (/proc on Linux); null where it cannot be read.
    private static UnixFileMode? Umask()
    {
        const string Status = "/proc/self/status";
        if (!File.Exists(Status))
        {
            return null;
        }

        var line = File.ReadLines(Status).FirstOrDefault(l => l.StartsWith("Umask:", StringComparison.Ordinal));
        return line is null ? null : (UnixFileMode)Convert.ToInt32(line["Umask:".Length..].Trim(), 8);
    }
}
