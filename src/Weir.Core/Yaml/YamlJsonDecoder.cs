using System.Text;
using System.Text.Json.Nodes;

namespace Weir.Core.Yaml;

/// <summary>
/// Turns one document's <see cref="YamlSourceNode"/> tree into JSON the way sigs.k8s.io/yaml does:
/// go-yaml v2 decoding (aliases re-expanded, <c>&lt;&lt;</c> merges applied in order, last duplicate key wins),
/// then conversion to JSON (non-string keys become strings, NaN and infinities are rejected).
/// In the <see cref="YamlDialect.Kyaml"/> dialect scalars resolve as go-yaml v3 and JSON-encode as kustomize does.
/// </summary>
internal sealed class YamlJsonDecoder
{
    // go-yaml's alias bomb guard: the share of decoding done inside aliases allowed for a document of a given size.
    private const int AliasRatioRangeLow = 400000;
    private const int AliasRatioRangeHigh = 4000000;

    private readonly YamlOptions options;
    private readonly HashSet<YamlSourceNode> expandingAliases = new(ReferenceEqualityComparer.Instance);
    private long decodeCount;
    private long aliasCount;
    private int aliasDepth;
    private int nonFiniteValues;

    private YamlJsonDecoder(YamlOptions options) => this.options = options;

    public static JsonNode? Decode(YamlSourceNode root, YamlOptions options) =>
        DeepStack.Run(() =>
        {
            var decoder = new YamlJsonDecoder(options);
            decoder.Count(root); // the document node itself
            var result = decoder.DecodeNode(root);
            if (decoder.nonFiniteValues > 0)
            {
                RejectNonFinite(result);
            }

            return result;
        });

    private void Count(YamlSourceNode node)
    {
        decodeCount++;
        if (aliasDepth > 0)
        {
            aliasCount++;
        }

        if (aliasCount > 100 && decodeCount > 1000 && (double)aliasCount / decodeCount > AllowedAliasRatio(decodeCount))
        {
            throw YamlException.At(node, "document contains excessive aliasing");
        }
    }

    private static double AllowedAliasRatio(long decodes) => decodes switch
    {
        <= AliasRatioRangeLow => 0.99,
        >= AliasRatioRangeHigh => 0.10,
        _ => 0.99 - (0.89 * ((double)(decodes - AliasRatioRangeLow) / (AliasRatioRangeHigh - AliasRatioRangeLow))),
    };

    private JsonNode? DecodeNode(YamlSourceNode node)
    {
        DeepStack.EnsureRoom();
        Count(node);
        switch (node.Kind)
        {
            case YamlNodeKind.Alias:
                return ThroughAlias(node, DecodeNode);
            case YamlNodeKind.Scalar:
                return ToJson(ResolveScalar(node, options.Dialect));
            case YamlNodeKind.Sequence:
                var array = new JsonArray();
                foreach (var child in node.Children)
                {
                    array.Add(DecodeNode(child));
                }

                return array;
            default:
                var obj = new JsonObject();
                FillMapping(node, obj);
                return obj;
        }
    }

    private T ThroughAlias<T>(YamlSourceNode alias, Func<YamlSourceNode, T> decode)
    {
        if (!expandingAliases.Add(alias))
        {
            throw YamlException.At(alias, $"anchor '{alias.AnchorName}' value contains itself");
        }

        aliasDepth++;
        var result = decode(alias.Target!);
        aliasDepth--;
        expandingAliases.Remove(alias);
        return result;
    }

    private void FillMapping(YamlSourceNode mapping, JsonObject target)
    {
        Dictionary<string, int>? seen = options.RejectDuplicateKeys ? new(StringComparer.Ordinal) : null;
        var children = mapping.Children;
        for (var i = 0; i < children.Count; i += 2)
        {
            var keyNode = children[i];
            var valueNode = children[i + 1];
            if (IsMerge(keyNode))
            {
                Merge(valueNode, target);
                continue;
            }

            var key = DecodeKey(keyNode);
            if (seen is not null)
            {
                if (seen.TryGetValue(key, out var firstLine))
                {
                    throw YamlException.At(keyNode, $"mapping key \"{key}\" already defined at line {firstLine}");
                }

                seen[key] = keyNode.Line;
            }

            target[key] = DecodeNode(valueNode);
        }
    }

    private static bool IsMerge(YamlSourceNode key) =>
        key.Kind == YamlNodeKind.Scalar && key.Value == "<<" && (key.Implicit || key.Tag == YamlTags.Merge);

    private void Merge(YamlSourceNode value, JsonObject target)
    {
        switch (value.Kind)
        {
            case YamlNodeKind.Mapping:
                MergeOne(value, target);
                break;
            case YamlNodeKind.Alias:
                RequireMapping(value);
                MergeOne(value, target);
                break;
            case YamlNodeKind.Sequence:
                for (var i = value.Children.Count - 1; i >= 0; i--)
                {
                    var item = value.Children[i];
                    if (item.Kind == YamlNodeKind.Alias)
                    {
                        RequireMapping(item);
                    }
                    else if (item.Kind != YamlNodeKind.Mapping)
                    {
                        throw MergeError(item);
                    }

                    MergeOne(item, target);
                }

                break;
            default:
                throw MergeError(value);
        }
    }

    private static void RequireMapping(YamlSourceNode alias)
    {
        if (alias.Target!.Kind != YamlNodeKind.Mapping)
        {
            throw MergeError(alias);
        }
    }

    private static YamlException MergeError(YamlSourceNode node) =>
        YamlException.At(node, "map merge requires map or sequence of maps as the value");

    private void MergeOne(YamlSourceNode node, JsonObject target)
    {
        DeepStack.EnsureRoom();
        Count(node);
        if (node.Kind == YamlNodeKind.Alias)
        {
            ThroughAlias(node, mapping =>
            {
                Count(mapping);
                FillMapping(mapping, target);
                return 0;
            });
        }
        else
        {
            FillMapping(node, target);
        }
    }

    private string DecodeKey(YamlSourceNode node)
    {
        Count(node);
        switch (node.Kind)
        {
            case YamlNodeKind.Alias:
                return ThroughAlias(node, DecodeKey);
            case YamlNodeKind.Scalar:
                break;
            default:
                throw YamlException.At(node, "invalid map key: a " + (node.Kind == YamlNodeKind.Mapping ? "mapping" : "sequence") + " cannot be a key");
        }

        var key = ResolveScalar(node, options.Dialect);
        if (options.Dialect == YamlDialect.Kyaml && (key is not string || IsTimestamp(node)))
        {
            // go-yaml v3 decodes a mapping with such a key into map[interface{}]interface{}, which JSON cannot encode.
            throw new YamlException(
                $"json: unsupported type: map[interface {{}}]interface {{}} (line {node.Line}: the mapping key `{node.Value}` is not a string)",
                node.Line, node.Column);
        }

        return key switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
            double d => GoFloat.FormatG(d, 32) switch
            {
                "+Inf" => ".inf",
                "-Inf" => "-.inf",
                "NaN" => ".nan",
                var text => text,
            },
            null => throw YamlException.At(node, "Unsupported map key of type: <nil>, key: <nil> (a null key cannot become a JSON object key)"),
            var other => throw YamlException.At(node, $"Unsupported map key of type: uint64, key: {other}"),
        };
    }

    private static object? ResolveScalar(YamlSourceNode node, YamlDialect dialect)
    {
        var text = dialect == YamlDialect.Kyaml && node.Folded ? KyamlFoldedScalar.Reread(node) : node.Value;
        if (node.Tag.Length == 0 && !node.Implicit)
        {
            return text;
        }

        string tag;
        object? value;
        try
        {
            (tag, value) = ScalarResolver.Resolve(node.Tag, text, dialect);
        }
        catch (FormatException e)
        {
            throw YamlException.At(node, e.Message);
        }

        return tag switch
        {
            YamlTags.Binary => DecodeBase64(node),
            YamlTags.Timestamp when dialect == YamlDialect.Kyaml => GoTimestamp.ToJsonText(text),
            YamlTags.Timestamp => text,
            _ => value,
        };
    }

    /// <summary>Whether a scalar resolves to a timestamp (go-yaml v3 decodes it into a time, not a string).</summary>
    private static bool IsTimestamp(YamlSourceNode node) =>
        node.Kind == YamlNodeKind.Scalar && (node.Implicit || node.Tag.Length > 0)
        && ScalarResolver.Resolve(node.Tag, node.Value, YamlDialect.Kyaml).Tag == YamlTags.Timestamp;

    private static string DecodeBase64(YamlSourceNode node)
    {
        // Go's base64.StdEncoding skips line breaks but nothing else.
        var text = node.Value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        if (text.Length % 4 != 0 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=')))
        {
            throw YamlException.At(node, "!!binary value contains invalid base64 data");
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            throw YamlException.At(node, "!!binary value contains invalid base64 data");
        }
    }

    private JsonNode? ToJson(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                return JsonValue.Create(s);
            case bool b:
                return JsonValue.Create(b);
            case long l:
                return JsonValue.Create(l);
            case ulong u:
                return JsonValue.Create(u);
            case double d:
                if (!double.IsFinite(d))
                {
                    nonFiniteValues++;
                }

                return JsonValue.Create(d);
            default:
                throw new InvalidOperationException("unexpected scalar " + value.GetType());
        }
    }

    /// <summary>JSON has no NaN or infinity; Go's encoder refuses them once the whole document is built.</summary>
    private static void RejectNonFinite(JsonNode? root)
    {
        var pending = new Stack<JsonNode?>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject obj:
                    foreach (var (_, v) in obj)
                    {
                        pending.Push(v);
                    }

                    break;
                case JsonArray arr:
                    foreach (var v in arr)
                    {
                        pending.Push(v);
                    }

                    break;
                case JsonValue v when v.TryGetValue<double>(out var d) && !double.IsFinite(d):
                    var name = double.IsNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";
                    throw new YamlException($"json: unsupported value: {name}");
            }
        }
    }
}
