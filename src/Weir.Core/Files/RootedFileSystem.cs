namespace Weir.Core.Files;

/// <summary>
/// The one rule for every file Weir reads from or writes into an artifact or a checkout: nothing outside the root.
/// <see cref="Resolve"/> walks a path one component at a time, as <c>realpath</c> does, following each symbolic
/// link and checking every step against the root, so no chain of links (relative or absolute targets, <c>..</c>
/// at any depth, loops) leads out of it; callers then open the returned real path, which holds no link.
/// <see cref="ResolveForWriting"/> follows nothing at all: any link on the way is refused.
/// </summary>
/// <remarks>
/// The tree is assumed not to change under a call (artifacts are unpacked into directories only Weir writes).
/// A root of <c>/</c> fences nothing but still yields real paths.
/// </remarks>
public sealed class RootedFileSystem
{
    // Linux's MAXSYMLINKS: deeper chains and loops fail as realpath fails (ELOOP).
    private const int MaxLinks = 40;

    private readonly string[] _rootParts;
    private readonly string _given;

    /// <param name="root">The directory nothing may leave; its own links are resolved once, here.</param>
    public RootedFileSystem(string root)
    {
        _given = Path.GetFullPath(root);
        Root = Walk(Path.GetPathRoot(_given)!, [], _given, _given);
        _rootParts = Parts(Root);
    }

    /// <summary>The real absolute path of the root.</summary>
    public string Root { get; }

    /// <summary>
    /// The real path of <paramref name="path"/> (absolute, below the root as given or as resolved, or relative to
    /// it): every link on the way is followed and each step checked to stay inside the root. Missing components
    /// are kept as they are; <c>..</c> in <paramref name="path"/> itself is applied to the text first, as
    /// <c>filepath.Join</c> does, and in link targets step by step.
    /// </summary>
    /// <exception cref="PathEscapeException">A step leads outside the root.</exception>
    /// <exception cref="IOException">Too many levels of symbolic links.</exception>
    public string Resolve(string path)
    {
        var full = Path.GetFullPath(path, Root);
        var relative = IsWithin(full, Root) ? Path.GetRelativePath(Root, full)
            : IsWithin(full, _given) ? Path.GetRelativePath(_given, full)
            : throw new PathEscapeException(full, Root);
        return Walk(Root, _rootParts, relative, full);
    }

    /// <summary>
    /// Where to write <paramref name="relative"/>, a path below the root without <c>..</c>: no existing component
    /// on the way, the last one included, may be a symbolic link (links are never followed when writing).
    /// </summary>
    /// <exception cref="PathEscapeException">The path leaves the root or goes through a link.</exception>
    public string ResolveForWriting(string relative)
    {
        var current = Root;
        foreach (var part in Split(relative).Where(p => p is not ("" or ".")))
        {
            if (part is ".." || Path.IsPathRooted(relative))
            {
                throw new PathEscapeException(Path.Combine(Root, relative), Root);
            }

            current = Path.Combine(current, part);
            if (new FileInfo(current).LinkTarget is not null)
            {
                throw new PathEscapeException(
                    $"'{relative}' would be written through the symbolic link '{Path.GetRelativePath(Root, current)}'", current, Root);
            }
        }

        return current;
    }

    // Resolves 'path' (relative to 'start', a real directory whose components are 'startParts') within 'root'.
    private static string Walk(string root, string[] startParts, string path, string original)
    {
        var resolved = new List<string>(startParts);
        var rootDepth = Parts(root).Length;
        var pending = new Stack<string>();
        PushAll(pending, path);
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (resolved.Count > rootDepth)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }
                else if (rootDepth > 0)
                {
                    throw new PathEscapeException(original, root);
                }

                continue;
            }

            var candidate = Join(resolved, part);
            var target = new FileInfo(candidate).LinkTarget;
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new IOException($"too many levels of symbolic links resolving '{original}'");
            }

            if (Path.IsPathRooted(target))
            {
                // An absolute target must name the root itself or a path below it, component by component.
                var targetParts = Parts(target);
                var rootParts = resolved.Take(rootDepth).ToArray();
                if (!string.Equals(Path.GetPathRoot(target), Path.GetPathRoot(root), StringComparison.Ordinal)
                    || targetParts.Length < rootDepth || !targetParts.Take(rootDepth).SequenceEqual(rootParts, StringComparer.Ordinal))
                {
                    throw new PathEscapeException(original, root);
                }

                resolved = [.. rootParts];
                PushAll(pending, string.Join('/', targetParts.Skip(rootDepth)));
            }
            else
            {
                PushAll(pending, target);
            }
        }

        return Join(resolved, null);

        string Join(List<string> parts, string? last)
        {
            var joined = Path.Combine([Path.GetPathRoot(root)!, .. parts]);
            return last is null ? joined : Path.Combine(joined, last);
        }
    }

    private static void PushAll(Stack<string> pending, string path)
    {
        var parts = Split(path);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private static string[] Split(string path) => path.Split(['/', Path.DirectorySeparatorChar]);

    private static string[] Parts(string absolute) =>
        Split(absolute[Path.GetPathRoot(absolute)!.Length..]).Where(p => p is not ("" or ".")).ToArray();

    private static bool IsWithin(string path, string root) =>
        path == root || path.StartsWith(Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}

/// <summary>A path leads outside the root of a <see cref="RootedFileSystem"/>.</summary>
public sealed class PathEscapeException : IOException
{
    public PathEscapeException(string path, string root)
        : this($"path '{path}' is not in or below '{root}'", path, root)
    {
    }

    public PathEscapeException(string message, string path, string root)
        : base(message)
    {
        Path = path;
        Root = root;
    }

    /// <summary>The path as it was asked for.</summary>
    public string Path { get; }

    /// <summary>The root it had to stay in.</summary>
    public string Root { get; }
}
