namespace Weir.Kustomize.Loading;

/// <summary>kustomize's load restrictor: whether files may be read from outside a kustomization's directory.</summary>
public enum LoadRestriction
{
    RootOnly,
    None,
}

/// <summary>
/// Reads files for one kustomization directory (its root), enforcing the load restrictor, and refusing remote
/// URLs (Weir builds offline). With a <paramref name="fence"/> (Flux's secure file system: the artifact's root),
/// no file or directory outside it is read, whatever the restrictor, symlinks resolved.
/// </summary>
public sealed class FileLoader(string root, LoadRestriction restriction, FileLoader? parent = null, string? fence = null)
{
    /// <summary>
    /// Largest file a build reads (32 MiB, several times the largest manifest bundles in use); a larger one is refused
    /// by its size before it is read, so one file cannot make a build take more memory than this bounds.
    /// </summary>
    public const long MaxFileBytes = 32L * 1024 * 1024;

    public string Root { get; } = Path.GetFullPath(root);

    public string? Fence { get; } = fence is null ? null : Path.GetFullPath(fence);

    public LoadRestriction Restriction => restriction;

    /// <summary>The chain of roots above this one, to detect cycles.</summary>
    public FileLoader? Parent => parent;

    public static bool IsRemote(string entry) =>
        entry.Contains("://", StringComparison.Ordinal) || entry.StartsWith("git@", StringComparison.Ordinal)
        || entry.StartsWith("github.com/", StringComparison.Ordinal) || entry.StartsWith("gitlab.com/", StringComparison.Ordinal)
        || entry.StartsWith("bitbucket.org/", StringComparison.Ordinal);

    /// <summary>Absolute path of an entry, checked against the restrictor.</summary>
    public string Resolve(string relative)
    {
        if (IsRemote(relative))
        {
            throw new KustomizeException($"remote resource '{relative}' is not supported: Weir builds kustomizations offline");
        }

        var full = Path.GetFullPath(Path.Combine(Root, relative));
        CheckFence(full);
        if (restriction == LoadRestriction.RootOnly && !IsUnder(RealPath(full), RealPath(Root)))
        {
            throw new KustomizeException(
                $"security; file '{full}' is not in or below '{Root}' (entry '{relative}'; use --load-restrictor LoadRestrictionsNone to allow it)");
        }

        return full;
    }

    public string ReadText(string relative) => System.Text.Encoding.UTF8.GetString(ReadBytes(relative));

    public byte[] ReadBytes(string relative)
    {
        var full = Resolve(relative);
        if (Directory.Exists(full))
        {
            throw new KustomizeException($"'{relative}' is a directory, a file was expected (in {Root})");
        }

        if (!File.Exists(full))
        {
            throw new KustomizeException($"file '{relative}' not found (in {Root})");
        }

        var size = new FileInfo(full).Length;
        if (size > MaxFileBytes)
        {
            throw new KustomizeException($"file '{relative}' is {size} bytes, more than the limit of {MaxFileBytes} bytes for one file (in {Root})");
        }

        return File.ReadAllBytes(full);
    }

    /// <summary>A loader for a sub-directory (a nested kustomization or component); refuses cycles.</summary>
    public FileLoader ForDirectory(string relative)
    {
        if (IsRemote(relative))
        {
            throw new KustomizeException($"remote resource '{relative}' is not supported: Weir builds kustomizations offline");
        }

        var full = Path.GetFullPath(Path.Combine(Root, relative));
        CheckFence(full);
        if (!Directory.Exists(full))
        {
            throw new KustomizeException($"'{relative}' must resolve to a file or a directory (in {Root})");
        }

        for (var l = this; l is not null; l = l.Parent)
        {
            if (RealPath(l.Root) == RealPath(full))
            {
                throw new KustomizeException($"cycle detected: '{full}' refers to itself or an ancestor");
            }
        }

        return new FileLoader(full, restriction, this, Fence);
    }

    private void CheckFence(string full)
    {
        if (Fence is not null && !IsUnder(RealPath(full), RealPath(Fence)))
        {
            throw new KustomizeException($"security; path '{full}' is not in or below '{Fence}'");
        }
    }

    private static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string RealPath(string path)
    {
        try
        {
            var info = new FileInfo(path);
            var target = info.Exists ? info.ResolveLinkTarget(true) : null;
            if (target is not null)
            {
                return Path.GetFullPath(target.FullName);
            }

            var dir = new DirectoryInfo(path);
            var dirTarget = dir.Exists ? dir.ResolveLinkTarget(true) : null;
            return dirTarget is not null ? Path.GetFullPath(dirTarget.FullName) : Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }
}
