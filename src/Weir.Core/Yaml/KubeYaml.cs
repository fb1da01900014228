using System.Text;
using System.Text.Json.Nodes;

namespace Weir.Core.Yaml;

/// <summary>
/// YAML ⇄ JSON as Kubernetes tools do it: reading resolves scalars exactly as sigs.k8s.io/yaml
/// (go-yaml v2, YAML 1.1 rules) and writing prints block YAML the way kubectl and kustomize print it.
/// </summary>
public static class KubeYaml
{
    /// <summary>
    /// Reads every document of a <c>---</c> separated stream. Documents that are empty or hold only
    /// comments or an explicit null are skipped, as kubectl and kustomize skip them.
    /// </summary>
    /// <exception cref="YamlException">Invalid YAML, or a document larger than <see cref="YamlOptions.MaxDocumentBytes"/>; no other exception escapes for any input.</exception>
    public static IReadOnlyList<JsonNode?> ParseAll(string yaml, YamlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        options ??= YamlOptions.Default;
        var result = new List<JsonNode?>();
        foreach (var root in YamlDocumentReader.Read(yaml, firstOnly: false, options))
        {
            var node = YamlJsonDecoder.Decode(root, options);
            if (node is not null)
            {
                result.Add(node);
            }
        }

        return result;
    }

    /// <summary>Reads a stream that holds exactly one document (empty documents aside); null when it holds none.</summary>
    /// <exception cref="YamlException">Invalid YAML, or more than one document.</exception>
    public static JsonNode? Parse(string yaml, YamlOptions? options = null)
    {
        var documents = ParseAll(yaml, options);
        return documents.Count switch
        {
            0 => null,
            1 => documents[0],
            _ => throw new YamlException($"yaml: expected a single document but found {documents.Count}"),
        };
    }

    /// <summary>
    /// Exactly sigs.k8s.io/yaml's <c>YAMLToJSON</c>: the first document only (later ones are not read),
    /// null for an empty stream or an empty first document.
    /// </summary>
    public static JsonNode? ParseFirst(string yaml, YamlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        options ??= YamlOptions.Default;
        foreach (var root in YamlDocumentReader.Read(yaml, firstOnly: true, options))
        {
            return YamlJsonDecoder.Decode(root, options);
        }

        return null;
    }

    /// <summary>One document as kubectl prints it, ending in a newline.</summary>
    public static string Serialize(JsonNode? node, YamlOptions? options = null)
    {
        var output = new StringBuilder();
        KubeYamlWriter.WriteDocument(output, node, options ?? YamlOptions.Default);
        return output.ToString();
    }

    /// <summary>Documents separated by <c>---</c> lines, as <c>kubectl kustomize</c> prints a build.</summary>
    public static string SerializeAll(IEnumerable<JsonNode?> docs, YamlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(docs);
        options ??= YamlOptions.Default;
        var output = new StringBuilder();
        var first = true;
        foreach (var doc in docs)
        {
            if (!first)
            {
                output.Append("---\n");
            }

            KubeYamlWriter.WriteDocument(output, doc, options);
            first = false;
        }

        return output.ToString();
    }
}
