using System.Text.Json.Nodes;
using Weir.Core.Yaml;

namespace Weir.Kustomize.Yaml;

/// <summary>
/// YAML reading and writing for the build, through Weir.Core's KubeYaml; errors name the source as kustomize words
/// them (<c>MalformedYAMLError: yaml: line 5: … in File: app.yaml</c>). Resources and
/// strategic merge patches are read as kustomize's kyaml reads them; the kustomization file, JSON 6902 patches and
/// substituted resources as sigs.k8s.io/yaml reads them (kustomize and Flux decode those with it).
/// </summary>
public static class YamlText
{
    private static readonly YamlOptions ResourceOptions = new() { RejectDuplicateKeys = true, Dialect = YamlDialect.Kyaml };
    private static readonly YamlOptions WriteOptions = new() { SortKeys = true };

    /// <summary>Parses every document of a YAML stream of resources or patches (kyaml's reading); empty documents are dropped.</summary>
    public static List<JsonNode> ParseAll(string text, string source) => Parse(text, source, ResourceOptions);

    /// <summary>Parses every document as sigs.k8s.io/yaml reads it (kustomization files, JSON 6902 patches).</summary>
    public static List<JsonNode> ParseAllSigsYaml(string text, string source) => Parse(text, source, YamlOptions.Default);

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

    /// <summary>A resource after post-build substitution, read as Flux reads it (sigs.k8s.io/yaml's YAMLToJSON: the first document).</summary>
    /// <exception cref="YamlException">Invalid YAML.</exception>
    public static JsonNode? ParseSubstituted(string text) => KubeYaml.ParseFirst(text);

    public static string SerializeAll(IEnumerable<JsonNode?> documents) => KubeYaml.SerializeAll(documents, WriteOptions);

    public static string Serialize(JsonNode? node) => KubeYaml.Serialize(node, WriteOptions);

    private static List<JsonNode> Parse(string text, string source, YamlOptions options)
    {
        try
        {
            return KubeYaml.ParseAll(text, options).Where(d => d is not null).Select(d => d!).ToList();
        }
        catch (YamlException e)
        {
            throw new KustomizeException($"MalformedYAMLError: {e.Message} in File: {source}", e);
        }
    }
}
