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
}
