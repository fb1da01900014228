namespace Weir.Kustomize.Flux.Envsubst;

/// <summary>The Go <c>strings</c>/<c>strconv</c> behaviour envsubst's operators rely on, over UTF-8 bytes.</summary>
internal static class GoStrings
{
    /// <summary>
    /// Go's <c>strings.Replace</c>: the first <paramref name="count"/> occurrences (all when negative); an empty
    /// <paramref name="old"/> matches at the start and after every rune.
    /// </summary>
    public static byte[] Replace(byte[] s, byte[] old, byte[] replacement, int count)
    {
        if (old.AsSpan().SequenceEqual(replacement) || count == 0)
        {
            return s;
        }

        var matches = old.Length == 0 ? Utf8Text.Runes(s).Count + 1 : Count(s, old);
        if (matches == 0)
        {
            return s;
        }

        if (count < 0 || matches < count)
        {
            count = matches;
        }

        var result = new List<byte>(s.Length + (count * (replacement.Length - old.Length)));
        var start = 0;
        for (var i = 0; i < count; i++)
        {
            var j = start;
            if (old.Length == 0)
            {
                if (i > 0)
                {
                    j += Utf8Text.Decode(s.AsSpan(start)).Width;
                }
            }
            else
            {
                j += s.AsSpan(start).IndexOf(old);
            }

            result.AddRange(s.AsSpan(start, j - start));
            result.AddRange(replacement);
            start = j + old.Length;
        }

        result.AddRange(s.AsSpan(start));
        return [.. result];
    }

    /// <summary>Go's <c>strconv.Atoi</c>: an optional sign and decimal digits, within 64 bits.</summary>
    public static bool TryAtoi(byte[] text, out long value)
    {
        value = 0;
        var span = text.AsSpan();
        var negative = false;
        if (span.Length > 0 && span[0] is (byte)'+' or (byte)'-')
        {
            negative = span[0] == '-';
            span = span[1..];
        }

        if (span.IsEmpty)
        {
            return false;
        }

        ulong magnitude = 0;
        foreach (var b in span)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            if (magnitude > (ulong.MaxValue - 9) / 10)
            {
                return false;
            }

            magnitude = (magnitude * 10) + (ulong)(b - '0');
        }

        var limit = negative ? 1UL << 63 : (1UL << 63) - 1;
        if (magnitude > limit)
        {
            return false;
        }

        value = negative ? unchecked(-(long)magnitude) : (long)magnitude;
        return true;
    }

    private static int Count(byte[] s, byte[] old)
    {
        var n = 0;
        var span = s.AsSpan();
        while (true)
        {
            var at = span.IndexOf(old);
            if (at < 0)
            {
                return n;
            }

            n++;
            span = span[(at + old.Length)..];
        }
    }
}
