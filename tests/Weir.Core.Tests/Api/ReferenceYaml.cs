using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Weir.Core.Tests.Api;

/// <summary>
/// Reads reference YAML files (Flux CRDs, corpus manifests) into JSON. Test-only stand-in until the team's YAML layer (KubeYaml) is merged;
/// plain scalars are typed the YAML 1.2 core way, which is all these files need.
/// </summary>
internal static class ReferenceYaml
{
    public static JsonNode? Load(string path) => LoadAll(path)[0];

    public static IReadOnlyList<JsonNode?> LoadAll(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return [.. stream.Documents.Select(d => Convert(d.RootNode))];
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException(node.NodeType.ToString()),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" or "~" or "" => null,
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            _ => JsonValue.Create(text),
        };
    }
}
