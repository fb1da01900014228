using System.Text;

namespace Weir.Templates.Values;

/// <summary>
/// Go strings are UTF-8 bytes; these helpers give byte semantics over .NET strings. Bytes that are not UTF-8
/// (from b64dec, decryptAES, a cut through a character) are kept as lone surrogates U+DC80–U+DCFF, one per byte,
/// so they survive len, slicing, hashing, re-encoding and %q/%x as Go's raw bytes do; <see cref="ToText(StringBuilder, int)"/> turns
/// them into U+FFFD (what Go's output reads as) where a string leaves the engine.
/// </summary>
public static class Utf8
{
    private const char RawByteBase = '\uDC00';

    public static int ByteCount(string s)
    {
        if (IsAscii(s))
        {
            return s.Length;
        }

        if (!HasSurrogates(s))
        {
            return Encoding.UTF8.GetByteCount(s);
        }

        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            n += CharBytes(s, ref i, null);
        }

        return n;
    }

    public static bool IsAscii(string s) => Ascii.IsValid(s);

    public static byte[] Bytes(string s)
    {
        if (!HasSurrogates(s))
        {
            return Encoding.UTF8.GetBytes(s);
        }

        var bytes = new List<byte>(s.Length * 2);
        for (var i = 0; i < s.Length; i++)
        {
            CharBytes(s, ref i, bytes);
        }

        return [.. bytes];
    }

    /// <summary>Go's string(bytes): valid UTF-8 as text, each other byte kept as a raw byte.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var sb = new StringBuilder(bytes.Length);
        while (bytes.Length > 0)
        {
            if (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                sb.Append(rune.ToString());
                bytes = bytes[consumed..];
            }
            else
            {
                // Go decodes (and its range loop reports) one invalid byte at a time.
                sb.Append((char)(RawByteBase + bytes[0]));
                bytes = bytes[1..];
            }
        }

        return sb.ToString();
    }

    /// <summary>The raw byte a char stands for, when it is one (a lone U+DC80–U+DCFF).</summary>
    public static bool IsRawByte(string s, int i, out byte b)
    {
        var c = s[i];
        if (c is >= '\uDC80' and <= '\uDCFF' && (i == 0 || !char.IsHighSurrogate(s[i - 1])))
        {
            b = (byte)(c - RawByteBase);
            return true;
        }

        b = 0;
        return false;
    }

    /// <summary>A string as text leaving the engine (an error message): raw bytes become U+FFFD.</summary>
    public static string ToText(string s)
    {
        if (s.AsSpan().IndexOfAnyInRange('\uDC80', '\uDCFF') < 0)
        {
            return s;
        }

        var sb = new StringBuilder(s);
        ToText(sb, 0);
        return sb.ToString();
    }

    /// <summary>Output from <paramref name="start"/> on as text leaving the engine: raw bytes become U+FFFD.</summary>
    public static void ToText(StringBuilder sb, int start)
    {
        foreach (var chunk in sb.GetChunks())
        {
            if (chunk.Span.IndexOfAnyInRange('\uDC80', '\uDCFF') >= 0)
            {
                for (var i = start; i < sb.Length; i++)
                {
                    if (sb[i] is >= '\uDC80' and <= '\uDCFF' && (i == 0 || !char.IsHighSurrogate(sb[i - 1])))
                    {
                        sb[i] = '\uFFFD';
                    }
                }

                return;
            }
        }
    }

    /// <summary>s[start:end] in bytes.</summary>
    public static string Slice(string s, int start, int end)
    {
        if (IsAscii(s))
        {
            return s.Substring(start, end - start);
        }

        var b = Bytes(s);
        return Decode(b.AsSpan(start, end - start));
    }

    /// <summary>The byte at a byte offset (Go's s[i]).</summary>
    public static byte ByteAt(string s, int index)
    {
        if (IsAscii(s))
        {
            return (byte)s[index];
        }

        return Bytes(s)[index];
    }

    private static bool HasSurrogates(string s) => s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;

    // The UTF-8 bytes of the char (or surrogate pair) at i, counted and appended when a list is given.
    private static int CharBytes(string s, ref int i, List<byte>? output)
    {
        if (IsRawByte(s, i, out var raw))
        {
            output?.Add(raw);
            return 1;
        }

        var length = char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
        Span<byte> buffer = stackalloc byte[4];
        var n = Encoding.UTF8.GetBytes(s.AsSpan(i, length), buffer);
        output?.AddRange(buffer[..n]);
        i += length - 1;
        return n;
    }
}
