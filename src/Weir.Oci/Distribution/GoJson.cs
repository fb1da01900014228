using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Weir.Oci.Distribution;

/// <summary>
/// JSON for manifests, indexes and configs written byte for byte as Go's <c>encoding/json</c> writes it (the
/// encoder of Flux's tools and of most registries), so digests and what <c>skopeo inspect --raw</c> shows agree:
/// media types keep a literal <c>+</c>, other text stays as it is, and only what Go escapes is escaped —
/// <c>&lt; &gt; &amp;</c>, U+2028, U+2029 and control characters, as <c>\u00xx</c> in lower case (<c>\n \r \t</c> short).
/// </summary>
public static class GoJson
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize<T>(T value) => ToGoEscaping(JsonSerializer.SerializeToUtf8Bytes(value, Relaxed));

    // System.Text.Json's relaxed encoder leaves the HTML characters raw, writes \b and \f short, and escapes a few
    // characters Go writes raw (DEL, characters outside the Basic Multilingual Plane); rewrite each spot as Go writes
    // it. Outside strings JSON has none of these bytes, so no parsing is needed.
    private static byte[] ToGoEscaping(byte[] json)
    {
        var output = new List<byte>(json.Length + 16);
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (b is (byte)'<' or (byte)'>' or (byte)'&')
            {
                AddCodePoint(output, b);
            }
            else if (b == 0xE2 && i + 2 < json.Length && json[i + 1] == 0x80 && json[i + 2] is 0xA8 or 0xA9)
            {
                AddCodePoint(output, json[i + 2] == 0xA8 ? 0x2028 : 0x2029);
                i += 2;
            }
            else if (b == '\\' && json[i + 1] == 'u')
            {
                var code = Hex(json, i + 2);
                i += 5;
                if (char.IsHighSurrogate((char)code) && i + 6 < json.Length && json[i + 1] == '\\' && json[i + 2] == 'u'
                    && Hex(json, i + 3) is var low && char.IsLowSurrogate((char)low))
                {
                    code = char.ConvertToUtf32((char)code, (char)low);
                    i += 6;
                }
                if (code <= 0xFFFF && char.IsSurrogate((char)code))
                {
                    output.AddRange("\\ufffd"u8); // A lone surrogate is no character: Go writes the replacement character.
                }
                else
                {
                    AddCodePoint(output, code);
                }
            }
            else if (b == '\\')
            {
                var escaped = json[++i];
                if (escaped is (byte)'b' or (byte)'f')
                {
                    AddCodePoint(output, escaped == 'b' ? '\b' : '\f');
                }
                else
                {
                    output.Add(b);
                    output.Add(escaped);
                }
            }
            else
            {
                output.Add(b);
            }
        }
        return [.. output];
    }

    private static int Hex(byte[] json, int at) => Convert.ToInt32(Encoding.ASCII.GetString(json, at, 4), 16);

    /// <summary>A character inside a string, written as Go's encoder writes it.</summary>
    private static void AddCodePoint(List<byte> output, int code)
    {
        switch (code)
        {
            case '\n':
                output.AddRange("\\n"u8);
                break;
            case '\r':
                output.AddRange("\\r"u8);
                break;
            case '\t':
                output.AddRange("\\t"u8);
                break;
            case '"' or '\\':
                output.Add((byte)'\\');
                output.Add((byte)code);
                break;
            case < 0x20 or '<' or '>' or '&' or 0x2028 or 0x2029:
                output.AddRange(Encoding.ASCII.GetBytes($"\\u{code:x4}"));
                break;
            default:
                output.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(code)));
                break;
        }
    }
}
