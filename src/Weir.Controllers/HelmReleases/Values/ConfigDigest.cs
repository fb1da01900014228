using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Yaml;
using Weir.Templates.Formatting;
using Weir.Templates.Values;

namespace Weir.Controllers.HelmReleases.Values;

/// <summary>
/// Flux's values digest (<c>status.lastAttemptedConfigDigest</c>, history <c>configDigest</c>, the event token):
/// <c>sha256:&lt;hex&gt;</c> of the values as YAML (sigs.k8s.io/yaml's form, keys sorted by byte order at every level,
/// one trailing newline); empty values digest the empty input.
/// </summary>
public static class ConfigDigest
{
    public static string Of(GoMap values)
    {
        var text = values.Count == 0 ? "" : Yaml(values);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The exact text digested.</summary>
    internal static string Yaml(GoMap values)
    {
        var json = JsonNode.Parse(GoJson.Marshal(Value.Map(values)), documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 100_000 });
        var text = KubeYaml.Serialize(Sorted(json));
        return text.EndsWith('\n') ? text : text + "\n";
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}
