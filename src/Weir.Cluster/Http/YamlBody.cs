using System.Globalization;
using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Weir.Cluster.Http;

/// <summary>
/// Reads an <c>application/yaml</c> request body into JSON (kubectl sends JSON; YAML bodies come from other clients).
/// TODO: replace with Weir.Core.Yaml.KubeYaml.Parse once it is merged: it owns Kubernetes' YAML scalar rules.
/// </summary>
internal static class YamlBody
{
    public static JsonNode? Parse(string text, ResourceType type)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
        }
        catch (YamlException e)
        {
            throw ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: error converting YAML to JSON: yaml: line {e.Start.Line}: {e.Message}");
        }
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv => new KeyValuePair<string, JsonNode?>(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value)))),
        YamlSequenceNode s => new JsonArray([.. s.Children.Select(Convert)]),
        YamlScalarNode sc => Scalar(sc),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode s)
    {
        var v = s.Value ?? "";
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(v);
        }
        if (v is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (v is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }
        if (v is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && v.Any(char.IsDigit))
        {
            return JsonValue.Create(d);
        }
        return JsonValue.Create(v);
    }
}
