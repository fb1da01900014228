using System.Text.Json.Nodes;
using Weir.Core.Yaml;

namespace Weir.Kustomize.Yaml;

/// <summary>YAML reading and writing for the build, through Weir.Core's KubeYaml; errors name the source.</summary>
public static class YamlText
{
    private static readonly YamlOptions ReadOptions = new() { RejectDuplicateKeys = true };
    private static readonly YamlOptions WriteOptions = new() { SortKeys = true };

    /// <summary>Parses every document of a YAML stream; empty documents are dropped. Errors are worded as kustomize words them.</summary>
    public static List<JsonNode> ParseAll(string text, string source, bool rejectDuplicateKeys = true)
    {
        try
        {
            return KubeYaml.ParseAll(text, rejectDuplicateKeys ? ReadOptions : YamlOptions.Default).Where(d => d is not null).Select(d => d!).ToList();
        }
        catch (YamlException e)
        {
            throw new KustomizeException($"MalformedYAMLError: {e.Message} in File: {source}", e);
        }
    }

    /// <summary>Parses a YAML stream into objects, expanding <c>kind: List</c> items; refuses non-objects.</summary>
    public static List<JsonObject> ParseObjects(string text, string source)
    {
        var result = new List<JsonObject>();
        foreach (var doc in ParseAll(text, source))
        {
            if (doc is not JsonObject obj)
            {
                throw new KustomizeException($"{source}: a document is not a YAML map");
            }

            if (obj.Count == 0)
            {
                continue;
            }

            if (obj["kind"]?.ToString() is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
            {
                result.AddRange(items.OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone()));
                continue;
            }

            result.Add(obj);
        }

        return result;
    }

    public static string SerializeAll(IEnumerable<JsonNode?> documents) => KubeYaml.SerializeAll(documents, WriteOptions);

    public static string Serialize(JsonNode? node) => KubeYaml.Serialize(node, WriteOptions);
}
