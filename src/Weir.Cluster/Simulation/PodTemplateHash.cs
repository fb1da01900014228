using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Weir.Cluster.Simulation;

/// <summary>
/// Stable short names in the style Kubernetes uses: a 32-bit FNV-1a hash of the pod template (keys sorted, so the
/// order a client sent them in does not matter), its decimal digits mapped onto the consonant-and-digit alphabet.
/// </summary>
internal static class PodTemplateHash
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Of(JsonNode? template)
    {
        var text = new StringBuilder();
        Canonical(template, text);
        return Encode(Fnv(text.ToString()));
    }

    public static uint Fnv(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return hash;
    }

    private static string Encode(uint value)
    {
        var digits = value.ToString(CultureInfo.InvariantCulture);
        var chars = new char[digits.Length];
        for (var i = 0; i < digits.Length; i++)
        {
            chars[i] = Alphabet[digits[i] % Alphabet.Length];
        }
        return new string(chars);
    }

    private static void Canonical(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case JsonObject o:
                text.Append('{');
                foreach (var (k, v) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    text.Append(k).Append(':');
                    Canonical(v, text);
                    text.Append(',');
                }
                text.Append('}');
                break;
            case JsonArray a:
                text.Append('[');
                foreach (var v in a)
                {
                    Canonical(v, text);
                    text.Append(',');
                }
                text.Append(']');
                break;
            case null:
                text.Append("null");
                break;
            default:
                text.Append(node.ToJsonString());
                break;
        }
    }
}
