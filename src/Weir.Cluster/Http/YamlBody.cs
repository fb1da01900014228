using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Core.Yaml;

namespace Weir.Cluster.Http;

/// <summary>
/// Reads an <c>application/yaml</c> request body into JSON (kubectl sends JSON; YAML bodies come from other clients).
/// Like the API server, only the first document is read and a repeated field is an error.
/// </summary>
internal static class YamlBody
{
    private static readonly YamlOptions Options = new() { RejectDuplicateKeys = true };

    public static JsonNode? Parse(string text, ResourceType type)
    {
        try
        {
            // Re-read as JSON so numbers carry JSON's number kind, as they do in a JSON body.
            return KubeYaml.ParseFirst(text, Options) is { } node ? JsonNode.Parse(node.ToJsonString()) : null;
        }
        catch (YamlException e)
        {
            throw ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: error converting YAML to JSON: {e.Message}");
        }
    }
}
