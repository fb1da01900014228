using System.Text;
using Weir.Core.Yaml;
using Weir.Templates.Values;

namespace Weir.Helm.Values;

/// <summary>
/// Reads values files as Helm does: every YAML document of the stream is a map, later documents merged over earlier
/// ones; numbers are float64 (sigs.k8s.io/yaml decodes through JSON). YAML's alias-bomb guard applies.
/// </summary>
public static class ValuesReader
{
    /// <summary>Reads a values stream; the message of a failure reads as Helm's (without the file name).</summary>
    /// <exception cref="ValuesException">Invalid YAML or a document that is not a map.</exception>
    public static GoMap Read(byte[] data) => Read(DecodeText(data));

    public static GoMap Read(string text)
    {
        IReadOnlyList<System.Text.Json.Nodes.JsonNode?> documents;
        try
        {
            documents = KubeYaml.ParseAll(text);
        }
        catch (YamlException e)
        {
            throw new ValuesException("cannot unmarshal yaml document: error converting YAML to JSON: " + e.Message, e);
        }

        var values = new GoMap();
        foreach (var document in documents)
        {
            var value = GoValues.FromJson(document);
            if (value.MapOrNull() is not GoMap map)
            {
                throw new ValuesException("cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
                    + JsonKind(value) + " into Go value of type map[string]interface {}");
            }

            values = Merge(values, map);
        }

        return values;
    }

    /// <summary>Helm's MergeMaps: a copy of <paramref name="a"/> with <paramref name="b"/> laid over it, maps merged key by key.</summary>
    public static GoMap Merge(GoMap a, GoMap b)
    {
        var result = new GoMap(a.Count + b.Count);
        foreach (var (key, value) in a.Entries)
        {
            result.Set(key, value);
        }

        foreach (var (key, value) in b.Entries)
        {
            if (value.MapOrNull() is GoMap bm && result.TryGet(key, out var existing) && existing.MapOrNull() is GoMap am)
            {
                result.Set(key, Value.Map(Merge(am, bm)));
                continue;
            }

            result.Set(key, value);
        }

        return result;
    }

    /// <summary>File bytes as text, without a UTF-8 byte order mark (Helm strips it).</summary>
    public static string DecodeText(byte[] data)
    {
        var span = data.AsSpan();
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }

        return Encoding.UTF8.GetString(span);
    }

    internal static string JsonKind(in Value v) => v.Kind switch
    {
        GoKind.String => "string",
        GoKind.Slice => "array",
        GoKind.Map => "object",
        GoKind.Bool => "bool",
        _ => "number",
    };
}

/// <summary>Values could not be read, parsed or combined; the message reads as Helm's.</summary>
public sealed class ValuesException(string message, Exception? inner = null) : Exception(message, inner);
