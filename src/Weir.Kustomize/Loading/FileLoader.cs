using Weir.Core.Files;

namespace Weir.Kustomize.Loading;

/// <summary>kustomize's load restrictor: whether files may be read from outside a kustomization's directory.</summary>
public enum LoadRestriction
{
    RootOnly,
    None,
}

/// <summary>
/// Reads files for one kustomization directory (its root), enforcing the load restrictor, and refusing remote
/// URLs (Weir builds offline). With a fence (Flux's secure file system: the artifact's root), no file or
/// directory outside it is read or even looked at, whatever the restrictor: every path is resolved component by
/// component by <see cref="RootedFileSystem"/>, each link followed and checked against the fence, and only the
/// resulting real path is opened.
/// </summary>
public sealed class FileLoader
{
    /// <summary>
    /// Largest file a build reads (32 MiB, several times the largest manifest bundles in use); a larger one is refused
    /// by its size before it is read, so one file cannot make a build take more memory than this bounds.
    /// </summary>
    public const long MaxFileBytes = 32L * 1024 * 1024;

    private readonly RootedFileSystem _files;

    public FileLoader(string root, LoadRestriction restriction, FileLoader? parent = null, string? fence = null)
    {
        Root = Path.GetFullPath(root);
        Fence = fence is null ? null : Path.GetFullPath(fence);
        Restriction = restriction;
        Parent = parent;
        _files = parent?._files ?? new RootedFileSystem(Fence ?? Path.GetPathRoot(Root)!);
    }

    public string Root { get; }

    public string? Fence { get; }

    public LoadRestriction Restriction { get; }

    /// <summary>The chain of roots above this one, to detect cycles.</summary>
    public FileLoader? Parent { get; }

    public static bool IsRemote(string entry) =>
        entry.Contains("://", StringComparison.Ordinal) || entry.StartsWith("git@", StringComparison.Ordinal)
        || entry.StartsWith("github.com/", StringComparison.Ordinal) || entry.StartsWith("gitlab.com/", StringComparison.Ordinal)
        || entry.StartsWith("bitbucket.org/", StringComparison.Ordinal);

    /// <summary>The real path of a file to read, checked against the fence and the restrictor.</summary>
    public string Resolve(string relative)
    {
        var real = RealPath(relative);
        if (Restriction == LoadRestriction.RootOnly && !IsUnder(real, RealPath(".")))
        {
            var full = Path.GetFullPath(Path.Combine(Root, relative));
            throw new KustomizeException(
                $"security; file '{full}' is not in or below '{Root}' (entry '{relative}'; use --load-restrictor LoadRestrictionsNone to allow it)");
        }

        return real;
    }

    /// <summary>
    /// The real path of an entry (relative to the root, or absolute), every link followed; only the fence applies
    /// (directories may lie outside a kustomization's root).
    /// </summary>
    public string RealPath(string relative)
    {
        if (IsRemote(relative))
        {
            throw new KustomizeException($"remote resource '{relative}' is not supported: Weir builds kustomizations offline");
        }

        var full = Path.GetFullPath(Path.Combine(Root, relative));
        try
        {
            return _files.Resolve(full);
        }
        catch (PathEscapeException)
        {
            throw new KustomizeException($"security; path '{full}' is not in or below '{Fence}'");
        }
        catch (IOException e)
        {
            throw new KustomizeException($"'{relative}' (in {Root}): {e.Message}");
        }
    }

    public bool IsFile(string relative) => File.Exists(RealPath(relative));

    public bool IsDirectory(string relative) => Directory.Exists(RealPath(relative));

    public string ReadText(string relative) => System.Text.Encoding.UTF8.GetString(ReadBytes(relative));

    public byte[] ReadBytes(string relative)
    {
        var real = Resolve(relative);
        if (Directory.Exists(real))
        {
            throw new KustomizeException($"'{relative}' is a directory, a file was expected (in {Root})");
        }

        if (!File.Exists(real))
        {
            throw new KustomizeException($"file '{relative}' not found (in {Root})");
        }

        var size = new FileInfo(real).Length;
        if (size > MaxFileBytes)
        {
            throw new KustomizeException($"file '{relative}' is {size} bytes, more than the limit of {MaxFileBytes} bytes for one file (in {Root})");
        }

        return File.ReadAllBytes(real);
    }

    /// <summary>A loader for a sub-directory (a nested kustomization or component); refuses cycles.</summary>
    public FileLoader ForDirectory(string relative)
    {
        var real = RealPath(relative);
        if (!Directory.Exists(real))
        {
            throw new KustomizeException($"'{relative}' must resolve to a file or a directory (in {Root})");
        }

        var full = Path.GetFullPath(Path.Combine(Root, relative));
        for (var l = this; l is not null; l = l.Parent)
        {
            if (l.RealPath(".") == real)
            {
                throw new KustomizeException($"cycle detected: '{full}' refers to itself or an ancestor");
            }
        }

        return new FileLoader(full, Restriction, this, Fence);
    }

    private static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
