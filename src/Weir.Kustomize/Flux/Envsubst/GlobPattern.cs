namespace Weir.Kustomize.Flux.Envsubst;

/// <summary>
/// The shell pattern matching envsubst's <c>#</c> and <c>%</c> operators use: Go's <c>path.Match</c> as drone/envsubst
/// altered it — <c>*</c> and <c>?</c> also match <c>/</c>, and a trailing <c>*</c> matches whatever is left.
/// <c>[…]</c> classes (with <c>^</c> negation and ranges) and <c>\</c> escapes as in Go.
/// </summary>
internal static class GlobPattern
{
    /// <summary>Whether <paramref name="pattern"/> matches all of <paramref name="name"/>; null for a malformed pattern.</summary>
    public static bool? Match(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> name)
    {
        while (pattern.Length > 0)
        {
            var star = NextChunk(pattern, out var chunk, out pattern);
            if (star && chunk.IsEmpty)
            {
                return true;
            }

            var ok = MatchChunk(chunk, name, out var remaining, out var bad);
            if (ok && (remaining.IsEmpty || pattern.Length > 0))
            {
                name = remaining;
                continue;
            }

            if (bad)
            {
                return null;
            }

            if (!star)
            {
                return false;
            }

            var advanced = false;
            for (var i = 0; i < name.Length; i++)
            {
                ok = MatchChunk(chunk, name[(i + 1)..], out remaining, out bad);
                if (ok)
                {
                    if (pattern.Length == 0 && remaining.Length > 0)
                    {
                        continue;
                    }

                    name = remaining;
                    advanced = true;
                    break;
                }

                if (bad)
                {
                    return null;
                }
            }

            if (!advanced)
            {
                return false;
            }
        }

        return name.IsEmpty;
    }

    /// <summary>The next run of non-star pattern, and whether stars preceded it.</summary>
    private static bool NextChunk(ReadOnlySpan<byte> pattern, out ReadOnlySpan<byte> chunk, out ReadOnlySpan<byte> rest)
    {
        var star = false;
        while (pattern.Length > 0 && pattern[0] == '*')
        {
            pattern = pattern[1..];
            star = true;
        }

        var inRange = false;
        int i;
        for (i = 0; i < pattern.Length; i++)
        {
            var stop = false;
            switch (pattern[i])
            {
                case (byte)'\\':
                    if (i + 1 < pattern.Length)
                    {
                        i++;
                    }

                    break;
                case (byte)'[':
                    inRange = true;
                    break;
                case (byte)']':
                    inRange = false;
                    break;
                case (byte)'*':
                    stop = !inRange;
                    break;
            }

            if (stop)
            {
                break;
            }
        }

        chunk = pattern[..i];
        rest = pattern[i..];
        return star;
    }

    /// <summary>Whether a star-free chunk matches the start of <paramref name="s"/>, what is left, and whether the pattern is bad.</summary>
    private static bool MatchChunk(ReadOnlySpan<byte> chunk, ReadOnlySpan<byte> s, out ReadOnlySpan<byte> rest, out bool bad)
    {
        rest = [];
        bad = false;
        while (chunk.Length > 0)
        {
            if (s.IsEmpty)
            {
                return false;
            }

            switch (chunk[0])
            {
                case (byte)'[':
                    {
                        var (r, n) = Utf8Text.Decode(s);
                        s = s[n..];
                        chunk = chunk[1..];
                        var negated = chunk.Length > 0 && chunk[0] == '^';
                        if (negated)
                        {
                            chunk = chunk[1..];
                        }

                        var match = false;
                        var ranges = 0;
                        while (true)
                        {
                            if (chunk.Length > 0 && chunk[0] == ']' && ranges > 0)
                            {
                                chunk = chunk[1..];
                                break;
                            }

                            if (!TryEscaped(ref chunk, out var lo))
                            {
                                bad = true;
                                return false;
                            }

                            var hi = lo;
                            if (chunk[0] == '-')
                            {
                                chunk = chunk[1..];
                                if (!TryEscaped(ref chunk, out hi))
                                {
                                    bad = true;
                                    return false;
                                }
                            }

                            if (lo <= r && r <= hi)
                            {
                                match = true;
                            }

                            ranges++;
                        }

                        if (match == negated)
                        {
                            return false;
                        }

                        break;
                    }

                case (byte)'?':
                    s = s[Utf8Text.Decode(s).Width..];
                    chunk = chunk[1..];
                    break;
                default:
                    if (chunk[0] == '\\')
                    {
                        chunk = chunk[1..];
                        if (chunk.IsEmpty)
                        {
                            bad = true;
                            return false;
                        }
                    }

                    if (chunk[0] != s[0])
                    {
                        return false;
                    }

                    s = s[1..];
                    chunk = chunk[1..];
                    break;
            }
        }

        rest = s;
        return true;
    }

    /// <summary>A possibly escaped rune of a class; false when the class is malformed (Go's ErrBadPattern).</summary>
    private static bool TryEscaped(ref ReadOnlySpan<byte> chunk, out int rune)
    {
        rune = 0;
        if (chunk.IsEmpty || chunk[0] == '-' || chunk[0] == ']')
        {
            return false;
        }

        if (chunk[0] == '\\')
        {
            chunk = chunk[1..];
            if (chunk.IsEmpty)
            {
                return false;
            }
        }

        var (r, n) = Utf8Text.Decode(chunk);
        if (r == System.Text.Rune.ReplacementChar.Value && n == 1)
        {
            return false;
        }

        rune = r;
        chunk = chunk[n..];
        return !chunk.IsEmpty;
    }
}
