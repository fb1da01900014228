using System.Text.Json.Nodes;
using Weir.Core.Yaml;

namespace Weir.Core.Tests.Api;

/// <summary>Reads reference YAML files (Flux CRDs, corpus manifests) into JSON with Weir's YAML layer.</summary>
internal static class ReferenceYaml
{
    public static JsonNode? Load(string path) => LoadAll(path)[0];

    public static IReadOnlyList<JsonNode?> LoadAll(string path) => KubeYaml.ParseAll(File.ReadAllText(path));
}
