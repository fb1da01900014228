namespace Weir.Runtime.Artifacts;

/// <summary>Paths inside an extracted artifact.</summary>
public static class SecurePath
{
    /// <summary>Joins a spec path under the artifact root; <c>..</c> never leaves it (as securejoin does).</summary>
    public static string Join(string root, string path)
    {
        var parts = new Stack<string>();
        foreach (var part in path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                parts.TryPop(out _);
            }
            else if (part != ".")
            {
                parts.Push(part);
            }
        }

        return Path.Combine([root, .. parts.Reverse()]);
    }

    /// <summary>
    /// A relative path with <c>.</c>, <c>..</c> and empty components applied; null when <c>..</c> climbs above the
    /// root (for spec paths that must be refused rather than clamped).
    /// </summary>
    public static string? Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }
}
