using System.Text;

namespace Weir.Templates.Values;

/// <summary>Go strings are UTF-8 bytes; these helpers give byte semantics over .NET strings.</summary>
public static class Utf8
{
    public static int ByteCount(string s)
    {
        if (IsAscii(s))
        {
            return s.Length;
        }

        return Encoding.UTF8.GetByteCount(s);
    }

    public static bool IsAscii(string s) => Ascii.IsValid(s);

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>Decodes bytes as Go would print them: each invalid byte becomes U+FFFD.</summary>
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
                // Go decodes one invalid byte at a time.
                sb.Append('\uFFFD');
                bytes = bytes[1..];
            }
        }

        return sb.ToString();
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
}
