using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Transformers;

/// <summary>Appends kustomize's content hash (10 characters) to the names of generated ConfigMaps and Secrets.</summary>
public sealed class HashTransformer : IResourceTransformer
{
    public void Transform(ResourceMap resources)
    {
        foreach (var r in resources.Resources)
        {
            if (!r.NeedsHash)
            {
                continue;
            }

            var hash = Hash(r.Object);
            r.StorePreviousId();
            r.Object.SetName($"{r.Name}-{hash}");
            r.NeedsHash = false;
        }
    }

    /// <summary>The name suffix kustomize computes for a ConfigMap or Secret (or any object, from its JSON).</summary>
    public static string Hash(JsonObject obj)
    {
        var encoded = obj.Kind() switch
        {
            "ConfigMap" => Encode(obj, [("binaryData", true), ("data", false)], "ConfigMap", includeType: false),
            "Secret" => Encode(obj, [("data", false), ("stringData", true)], "Secret", includeType: true),
            _ => GoJson.Encode(obj),
        };
        var sum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(encoded)));
        var chars = sum[..10].ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                '0' => 'g',
                '1' => 'h',
                '3' => 'k',
                'a' => 'm',
                'e' => 't',
                _ => chars[i],
            };
        }

        return new string(chars);
    }

    // Go's json.Marshal of a map sorts keys; optional maps are included only when present as maps.
    private static string Encode(JsonObject obj, (string Field, bool OnlyIfMap)[] fields, string kind, bool includeType)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["kind"] = GoJson.Quote(kind),
            // kustomize looks the name up as a single key "metadata/name", which never exists: the name hashes as "".
            ["name"] = "\"\"",
        };
        foreach (var (field, onlyIfMap) in fields)
        {
            var node = obj[field];
            if (node is JsonObject map)
            {
                entries[field] = GoJson.Encode(map);
            }
            else if (!onlyIfMap)
            {
                entries[field] = node is JsonValue v ? GoJson.Quote(v.ToString()) : "\"\"";
            }
        }

        if (includeType)
        {
            entries["type"] = GoJson.Quote(obj["type"] is JsonValue t ? t.ToString() : "");
        }

        return "{" + string.Join(",", entries.Select(e => GoJson.Quote(e.Key) + ":" + e.Value)) + "}";
    }
}

/// <summary>JSON text as Go's encoding/json writes it: map keys sorted, HTML characters escaped.</summary>
internal static class GoJson
{
    public static string Encode(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Quote(p.Key) + ":" + Encode(p.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Encode)) + "]",
        JsonValue v when v.TryGetValue<string>(out var s) => Quote(s),
        _ => node.ToJsonString(),
    };

    public static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }
}
