namespace Weir.Kustomize.Flux.Envsubst;

/// <summary>
/// The string operations behind envsubst's operators, over UTF-8 bytes as Go runs them (lengths and offsets count
/// bytes). Unknown operators, and all the default-style ones, return the value or, when it is empty, the arguments
/// joined.
/// </summary>
internal static class EnvsubstFunctions
{
    public static byte[] Apply(string op, byte[] value, IReadOnlyList<byte[]> args) => op switch
    {
        "," => MapFirst(value, System.Text.Rune.ToLowerInvariant),
        ",," => MapAll(value, System.Text.Rune.ToLowerInvariant),
        "^" => MapFirst(value, System.Text.Rune.ToUpperInvariant),
        "^^" => MapAll(value, System.Text.Rune.ToUpperInvariant),
        "#" when args.Count == 0 => Utf8Text.Bytes(value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        "#" => TrimPrefix(value, args[0], longest: false),
        "##" => args.Count == 0 ? value : TrimPrefix(value, args[0], longest: true),
        "%" => args.Count == 0 ? value : Reversed(TrimPrefix(Reversed(value), Reversed(args[0]), longest: false)),
        "%%" => args.Count == 0 ? value : Reversed(TrimPrefix(Reversed(value), Reversed(args[0]), longest: true)),
        ":" => Substring(value, args),
        "/#" => args.Count == 2 && value.AsSpan().StartsWith(args[0]) ? GoStrings.Replace(value, args[0], args[1], 1) : value,
        "/%" => args.Count == 2 && value.AsSpan().EndsWith(args[0]) ? [.. value[..^args[0].Length], .. args[1]] : value,
        "/" => Replace(value, args, 1),
        "//" => Replace(value, args, -1),
        _ => value.Length == 0 && args.Count > 0 ? [.. args.SelectMany(a => a)] : value,
    };

    private static byte[] MapFirst(byte[] value, Func<System.Text.Rune, System.Text.Rune> map)
    {
        if (value.Length == 0)
        {
            return value;
        }

        var (rune, width) = Utf8Text.Decode(value);
        return [.. Utf8Text.Encode(map(new System.Text.Rune(rune)).Value), .. value[width..]];
    }

    private static byte[] MapAll(byte[] value, Func<System.Text.Rune, System.Text.Rune> map) =>
        Utf8Text.FromRunes(Utf8Text.Runes(value).Select(r => map(new System.Text.Rune(r)).Value));

    private static byte[] Replace(byte[] value, IReadOnlyList<byte[]> args, int count) => args.Count switch
    {
        0 => value,
        1 => GoStrings.Replace(value, args[0], [], count),
        _ => GoStrings.Replace(value, args[0], args[1], count),
    };

    /// <summary><c>${v:pos}</c> and <c>${v:pos:len}</c>: bash-like offsets; a bad number returns the value unchanged.</summary>
    private static byte[] Substring(byte[] value, IReadOnlyList<byte[]> args)
    {
        if (args.Count == 0 || !GoStrings.TryAtoi(args[0], out var pos))
        {
            return value;
        }

        long length = value.Length;
        if (pos < 0)
        {
            pos = Math.Max(length + pos, 0);
        }

        if (args.Count == 1)
        {
            return pos < length ? value[(int)pos..] : [];
        }

        if (!GoStrings.TryAtoi(args[1], out var count))
        {
            return value;
        }

        var end = unchecked(pos + count);
        if (end >= length)
        {
            return pos < length ? value[(int)pos..] : [];
        }

        // Go slices value[pos:end] here and panics when the range is inverted.
        if (end < 0)
        {
            throw new EnvsubstException($"panic: runtime error: slice bounds out of range [:{end}]");
        }

        if (end < pos)
        {
            throw new EnvsubstException($"panic: runtime error: slice bounds out of range [{pos}:{end}]");
        }

        return value[(int)pos..(int)end];
    }

    /// <summary>
    /// Removes the longest, or the shortest, non-empty prefix the pattern matches; a bad pattern leaves the value alone.
    /// Prefixes are tried from the longest down, as envsubst does, so a bad pattern is noticed at the first try.
    /// </summary>
    private static byte[] TrimPrefix(byte[] value, byte[] pattern, bool longest)
    {
        var match = 0;
        for (var prefix = value.Length; prefix > 0; prefix--)
        {
            switch (GlobPattern.Match(pattern, value.AsSpan(0, prefix)))
            {
                case null:
                    return value;
                case true when longest:
                    return value[prefix..];
                case true:
                    match = prefix;
                    break;
            }
        }

        return value[match..];
    }

    /// <summary>The runes in reverse order (how envsubst matches suffixes: both value and pattern reversed).</summary>
    private static byte[] Reversed(byte[] value)
    {
        var runes = Utf8Text.Runes(value);
        runes.Reverse();
        return Utf8Text.FromRunes(runes);
    }
}
