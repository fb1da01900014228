using System.Globalization;
using System.Text.Json.Nodes;

namespace Weir.Kustomize.Yaml;

/// <summary>Reads integers from parsed YAML whatever CLR type the parser stored them as.</summary>
public static class Numbers
{
    public static long? Integer(JsonNode? node) =>
        node is JsonValue v && long.TryParse(v.ToJsonString().Trim('"'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null;
}
