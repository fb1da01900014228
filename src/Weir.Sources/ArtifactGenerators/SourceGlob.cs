using Weir.Core.Files;

namespace Weir.Sources.ArtifactGenerators;

/// <summary>
/// The globs of a copy operation, as source-watcher evaluates them over an extracted source: Go's <c>fs.Glob</c>
/// (one <see cref="GoPathMatch"/> per path segment, so <c>**</c> is just <c>*</c>) for Overwrite and Merge, and
/// doublestar's (<c>**</c> as a whole segment spans any number of directories, <c>{a,b}</c> alternatives) for Extract
/// and for <c>exclude</c>. Paths are relative and '/'-separated; matches come back in lexical order.
/// </summary>
public static class SourceGlob
{
    /// <summary>True when the path holds a glob metacharacter (<c>*?[]</c>).</summary>
    public static bool HasMeta(string path) => path.AsSpan().IndexOfAny("*?[]") >= 0;

    /// <summary>Go's <c>fs.Glob</c> under <paramref name="root"/>.</summary>
    /// <exception cref="FormatException">The pattern is malformed.</exception>
    public static IReadOnlyList<string> Glob(string root, string pattern)
    {
        GoPathMatch.Validate(pattern);
        if (pattern.StartsWith('/'))
        {
            return [];
        }

        if (!HasMeta(pattern))
        {
            return Exists(root, pattern) ? [pattern] : [];
        }

        var slash = pattern.LastIndexOf('/');
        var dir = slash <= 0 ? "." : pattern[..slash];
        var file = pattern[(slash + 1)..];
        var dirs = HasMeta(dir) ? Glob(root, dir) : [dir];
        var matches = new List<string>();
        foreach (var d in dirs)
        {
            var full = d == "." ? root : Path.Combine(root, d);
            if (!Directory.Exists(full))
            {
                continue;
            }

            foreach (var name in new DirectoryInfo(full).EnumerateFileSystemInfos().Select(i => i.Name).Order(StringComparer.Ordinal))
            {
                if (GoPathMatch.IsMatch(file, name))
                {
                    matches.Add(d == "." ? name : d + "/" + name);
                }
            }
        }

        return matches;
    }

    /// <summary>doublestar's <c>Glob</c> under <paramref name="root"/>: every file and directory the pattern matches.</summary>
    /// <exception cref="FormatException">The pattern is malformed.</exception>
    public static IReadOnlyList<string> GlobRecursive(string root, string pattern)
    {
        Validate(pattern);
        if (!HasMeta(pattern) && !pattern.Contains('{'))
        {
            return Exists(root, pattern) ? [pattern] : [];
        }

        var matches = new List<string>();
        Walk(root, "", path =>
        {
            if (Match(pattern, path))
            {
                matches.Add(path);
            }
        });
        return matches;
    }

    /// <summary>doublestar's <c>Match</c>: the whole '/'-separated path against the pattern.</summary>
    public static bool Match(string pattern, string path)
    {
        var names = path.Split('/');
        foreach (var alternative in ExpandBraces(pattern))
        {
            if (MatchSegments(alternative.Split('/'), 0, names, 0))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Throws <see cref="FormatException"/> for a malformed doublestar pattern.</summary>
    public static void Validate(string pattern)
    {
        foreach (var alternative in ExpandBraces(pattern))
        {
            foreach (var segment in alternative.Split('/'))
            {
                GoPathMatch.Validate(segment);
            }
        }
    }

    private static bool MatchSegments(string[] pattern, int p, string[] names, int n)
    {
        if (p == pattern.Length)
        {
            return n == names.Length;
        }

        if (pattern[p] == "**")
        {
            for (var k = n; k <= names.Length; k++)
            {
                if (MatchSegments(pattern, p + 1, names, k))
                {
                    return true;
                }
            }

            return false;
        }

        return n < names.Length && GoPathMatch.IsMatch(pattern[p], names[n]) && MatchSegments(pattern, p + 1, names, n + 1);
    }

    // {a,b} alternatives, nested ones included, expanded into plain patterns; an unclosed brace is malformed.
    private static IEnumerable<string> ExpandBraces(string pattern)
    {
        var open = -1;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == '{')
            {
                open = i;
                break;
            }
        }

        if (open < 0)
        {
            if (pattern.Contains('}'))
            {
                throw new FormatException("syntax error in pattern");
            }

            yield return pattern;
            yield break;
        }

        var depth = 0;
        var parts = new List<string>();
        var start = open + 1;
        for (var i = open; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '{':
                    depth++;
                    break;
                case ',' when depth == 1:
                    parts.Add(pattern[start..i]);
                    start = i + 1;
                    break;
                case '}':
                    if (--depth == 0)
                    {
                        parts.Add(pattern[start..i]);
                        foreach (var part in parts)
                        {
                            foreach (var expanded in ExpandBraces(pattern[..open] + part + pattern[(i + 1)..]))
                            {
                                yield return expanded;
                            }
                        }

                        yield break;
                    }

                    break;
            }
        }

        throw new FormatException("syntax error in pattern");
    }

    private static void Walk(string root, string relative, Action<string> visit)
    {
        var full = relative.Length == 0 ? root : Path.Combine(root, relative);
        foreach (var info in new DirectoryInfo(full).EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var path = relative.Length == 0 ? info.Name : relative + "/" + info.Name;
            visit(path);
            if (info is DirectoryInfo && info.LinkTarget is null)
            {
                Walk(root, path, visit);
            }
        }
    }

    private static bool Exists(string root, string path)
    {
        var full = Path.Combine(root, path);
        return File.Exists(full) || Directory.Exists(full);
    }
}
