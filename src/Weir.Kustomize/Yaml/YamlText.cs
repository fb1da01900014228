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
        var docs = ParseAll(text, source);
        if (docs.FirstOrDefault(d => d is not JsonObject) is not null)
        {
            throw new KustomizeException($"{source}: a document is not a YAML map");
        }

        return ExpandLists(docs.Cast<JsonObject>().Where(o => o.Count > 0), source);
    }

    /// <summary>
    /// Replaces each <c>…List</c> with an <c>items</c> field by its items, as kustomize does: they join the end of the
    /// queue (and are expanded in turn), a null <c>items</c> is an empty list.
    /// </summary>
    public static List<JsonObject> ExpandLists(IEnumerable<JsonObject> objects, string source)
    {
        var queue = new Queue<JsonObject>(objects);
        var result = new List<JsonObject>();
        while (queue.TryDequeue(out var obj))
        {
            if (obj["kind"] is not JsonValue kind || !kind.ToString().EndsWith("List", StringComparison.Ordinal) || !obj.TryGetPropertyValue("items", out var items))
            {
                result.Add(obj);
                continue;
            }

            if (items is not null and not JsonArray)
            {
                throw new KustomizeException($"{source}: expected array for {kind}/items");
            }

            foreach (var (item, i) in ((items as JsonArray) ?? []).Select((item, i) => (item, i)))
            {
                queue.Enqueue(item as JsonObject is { } o
                    ? (JsonObject)o.DeepClone()
                    : throw new KustomizeException($"{source}: encountered {(item is null ? "nil" : "non-map")} item in {kind}/items (index {i})"));
            }
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
