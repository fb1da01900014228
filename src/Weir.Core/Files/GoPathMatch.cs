namespace Weir.Core.Files;

/// <summary>
/// Go's <c>path.Match</c> (and <c>filepath.Match</c> on Unix): <c>*</c> matches any run of characters but '/',
/// <c>?</c> one character but '/', <c>[…]</c> a class (<c>^</c> negates, ranges with '-'), '\' escapes.
/// </summary>
public static class GoPathMatch
{
    /// <summary>Whether <paramref name="pattern"/> matches all of <paramref name="name"/>.</summary>
    /// <exception cref="FormatException">The pattern is malformed (Go's ErrBadPattern).</exception>
    public static bool IsMatch(string pattern, string name)
    {
        var p = pattern.AsSpan();
        var n = name.AsSpan();
    Pattern:
        while (p.Length > 0)
        {
            var star = false;
            while (p.Length > 0 && p[0] == '*')
            {
                p = p[1..];
                star = true;
            }

            var chunkEnd = ChunkEnd(p);
            var chunk = p[..chunkEnd];
            p = p[chunkEnd..];
            if (star && chunk.IsEmpty)
            {
                return !n.Contains('/');
            }

            if (MatchChunk(chunk, n, out var rest) && (rest.IsEmpty || p.Length > 0))
            {
                n = rest;
                continue;
            }

            if (star)
            {
                for (var i = 0; i < n.Length && n[i] != '/'; i++)
                {
                    if (MatchChunk(chunk, n[(i + 1)..], out rest))
                    {
                        if (p.Length == 0 && rest.Length > 0)
                        {
                            continue;
                        }

                        n = rest;
                        goto Pattern;
                    }
                }
            }

            // Go checks the rest of the pattern for syntax errors before answering false.
            while (p.Length > 0)
            {
                while (p.Length > 0 && p[0] == '*')
                {
                    p = p[1..];
                }

                var end = ChunkEnd(p);
                MatchChunk(p[..end], "", out _);
                p = p[end..];
            }

            return false;
        }

        return n.IsEmpty;
    }

    /// <summary>Throws when <paramref name="pattern"/> is malformed.</summary>
    public static void Validate(string pattern) => IsMatch(pattern, "abc");

    private static int ChunkEnd(ReadOnlySpan<char> p)
    {
        var inRange = false;
        for (var i = 0; i < p.Length; i++)
        {
            switch (p[i])
            {
                case '\\':
                    if (i + 1 < p.Length)
                    {
                        i++;
                    }

                    break;
                case '[':
                    inRange = true;
                    break;
                case ']':
                    inRange = false;
                    break;
                case '*' when !inRange:
                    return i;
            }
        }

        return p.Length;
    }

    // Matches chunk against the start of s; a malformed chunk throws even when s is exhausted (as Go's does).
    private static bool MatchChunk(ReadOnlySpan<char> chunk, ReadOnlySpan<char> s, out ReadOnlySpan<char> rest)
    {
        var failed = false;
        rest = default;
        while (chunk.Length > 0)
        {
            if (!failed && s.IsEmpty)
            {
                failed = true;
            }

            switch (chunk[0])
            {
                case '[':
                    var c = failed ? '\0' : s[0];
                    if (!failed)
                    {
                        s = s[1..];
                    }

                    chunk = chunk[1..];
                    var negated = chunk.Length > 0 && chunk[0] == '^';
                    if (negated)
                    {
                        chunk = chunk[1..];
                    }

                    var match = false;
                    var count = 0;
                    while (true)
                    {
                        if (chunk.Length > 0 && chunk[0] == ']' && count > 0)
                        {
                            chunk = chunk[1..];
                            break;
                        }

                        var lo = ClassChar(ref chunk);
                        var hi = lo;
                        if (chunk.Length > 0 && chunk[0] == '-')
                        {
                            chunk = chunk[1..];
                            hi = ClassChar(ref chunk);
                        }

                        if (lo <= c && c <= hi)
                        {
                            match = true;
                        }

                        count++;
                    }

                    if (match == negated)
                    {
                        failed = true;
                    }

                    break;
                case '?':
                    if (!failed)
                    {
                        if (s[0] == '/')
                        {
                            failed = true;
                        }

                        s = s[1..];
                    }

                    chunk = chunk[1..];
                    break;
                case '\\':
                    chunk = chunk[1..];
                    if (chunk.IsEmpty)
                    {
                        throw new FormatException("syntax error in pattern");
                    }

                    goto default;
                default:
                    if (!failed)
                    {
                        if (chunk[0] != s[0])
                        {
                            failed = true;
                        }

                        s = s[1..];
                    }

                    chunk = chunk[1..];
                    break;
            }
        }

        if (failed)
        {
            return false;
        }

        rest = s;
        return true;
    }

    private static char ClassChar(ref ReadOnlySpan<char> chunk)
    {
        if (chunk.IsEmpty || chunk[0] is '-' or ']')
        {
            throw new FormatException("syntax error in pattern");
        }

        if (chunk[0] == '\\')
        {
            chunk = chunk[1..];
            if (chunk.IsEmpty)
            {
                throw new FormatException("syntax error in pattern");
            }
        }

        var r = chunk[0];
        chunk = chunk[1..];
        return r;
    }
}
