using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Weir.Templates.Values;
using static Weir.Templates.Functions.FunctionBuilder;

namespace Weir.Templates.Functions;

/// <summary>Sprig's encodings and checksums: b64enc/b64dec, b32enc/b32dec, sha1sum, sha256sum, sha512sum, adler32sum.</summary>
internal static class EncodingFunctions
{
    public static IReadOnlyList<TemplateFunction> Create()
    {
        var b = new FunctionBuilder();
        b.Add("b64enc", [Str], static (_, a) => Value.String(Convert.ToBase64String(Utf8.Bytes(a[0].AsString))));
        b.Add("b64dec", [Str], static (_, a) => Value.String(GoBaseDecoding.Base64(a[0].AsString)));
        b.Add("b32enc", [Str], static (_, a) => Value.String(GoBaseDecoding.Base32Encode(Utf8.Bytes(a[0].AsString))));
        b.Add("b32dec", [Str], static (_, a) => Value.String(GoBaseDecoding.Base32(a[0].AsString)));
        b.Add("sha1sum", [Str], static (_, a) => Value.String(Convert.ToHexStringLower(SHA1.HashData(Utf8.Bytes(a[0].AsString)))));
        b.Add("sha256sum", [Str], static (_, a) => Value.String(Convert.ToHexStringLower(SHA256.HashData(Utf8.Bytes(a[0].AsString)))));
        b.Add("sha512sum", [Str], static (_, a) => Value.String(Convert.ToHexStringLower(SHA512.HashData(Utf8.Bytes(a[0].AsString)))));
        b.Add("adler32sum", [Str], static (_, a) => Value.String(Adler32(Utf8.Bytes(a[0].AsString)).ToString(CultureInfo.InvariantCulture)));
        return b.Functions;
    }

    private static uint Adler32(byte[] data)
    {
        const uint mod = 65521;
        uint s1 = 1, s2 = 0;
        foreach (var x in data)
        {
            s1 = (s1 + x) % mod;
            s2 = (s2 + s1) % mod;
        }

        return (s2 << 16) | s1;
    }
}

/// <summary>encoding/base64 and base32 StdEncoding decoding with Go's error texts (Sprig returns the error as the result).</summary>
internal static class GoBaseDecoding
{
    private const string B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private const string B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>Sprig's b64dec: the decoded text, or Go's error text.</summary>
    public static string Base64(string s) => Decode(s, B64, 4, 6, out var bytes) ?? Utf8.Decode(bytes);

    /// <summary>Sprig's b32dec: the decoded text, or Go's error text.</summary>
    public static string Base32(string s) => Decode(s, B32, 8, 5, out var bytes) ?? Utf8.Decode(bytes);

    /// <summary>base64.StdEncoding.DecodeString: the bytes, or false with Go's error text.</summary>
    public static bool TryBase64(string s, out byte[] bytes, out string error)
    {
        error = Decode(s, B64, 4, 6, out bytes) ?? "";
        return error.Length == 0;
    }

    public static string Base32Encode(byte[] data)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < data.Length; i += 5)
        {
            var chunk = new byte[5];
            var n = Math.Min(5, data.Length - i);
            Array.Copy(data, i, chunk, 0, n);
            ulong v = 0;
            foreach (var x in chunk)
            {
                v = (v << 8) | x;
            }

            var chars = n switch
            {
                1 => 2,
                2 => 4,
                3 => 5,
                4 => 7,
                _ => 8,
            };
            for (var j = 0; j < 8; j++)
            {
                sb.Append(j < chars ? B32[(int)((v >> (35 - (5 * j))) & 31)] : '=');
            }
        }

        return sb.ToString();
    }

    // Decodes quantum by quantum like Go: newlines are skipped, padding must be complete. Returns Go's error text or null.
    private static string? Decode(string text, string alphabet, int quantum, int bits, out byte[] decoded)
    {
        decoded = [];
        var src = Utf8.Bytes(text);
        var output = new List<byte>();
        var si = 0;
        while (true)
        {
            var buf = new int[quantum];
            var dlen = quantum;
            var j = 0;
            for (; j < quantum; j++)
            {
                while (si < src.Length && (src[si] == '\n' || src[si] == '\r'))
                {
                    si++;
                }

                if (si == src.Length)
                {
                    if (j == 0)
                    {
                        decoded = [.. output];
                        return null;
                    }

                    return $"illegal {Name(quantum)} data at input byte {si - j}";
                }

                var c = src[si];
                si++;
                if (c == '=')
                {
                    var minPad = quantum == 4 ? 2 : 2;
                    if (j < minPad)
                    {
                        return $"illegal {Name(quantum)} data at input byte {si - 1}";
                    }

                    // Consume the rest of the padding.
                    for (var k = j + 1; k < quantum; k++)
                    {
                        while (si < src.Length && (src[si] == '\n' || src[si] == '\r'))
                        {
                            si++;
                        }

                        if (si == src.Length || src[si] != '=')
                        {
                            return $"illegal {Name(quantum)} data at input byte {(si == src.Length ? si : si)}";
                        }

                        si++;
                    }

                    while (si < src.Length && (src[si] == '\n' || src[si] == '\r'))
                    {
                        si++;
                    }

                    if (si < src.Length)
                    {
                        return $"illegal {Name(quantum)} data at input byte {si}";
                    }

                    dlen = j;
                    break;
                }

                var v = alphabet.IndexOf((char)c);
                if (v < 0)
                {
                    return $"illegal {Name(quantum)} data at input byte {si - 1}";
                }

                buf[j] = v;
            }

            ulong acc = 0;
            for (var k = 0; k < quantum; k++)
            {
                acc = (acc << bits) | (uint)buf[k];
            }

            var totalBytes = quantum * bits / 8;
            var produce = dlen == quantum ? totalBytes : dlen * bits / 8;
            for (var k = 0; k < produce; k++)
            {
                output.Add((byte)(acc >> (8 * (totalBytes - 1 - k))));
            }

            if (dlen < quantum)
            {
                decoded = [.. output];
                return null;
            }
        }
    }

    private static string Name(int quantum) => quantum == 4 ? "base64" : "base32";
}
