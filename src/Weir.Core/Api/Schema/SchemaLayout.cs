using System.Text.Json.Nodes;

namespace Weir.Core.Api.Schema;

/// <summary>Fixed keyword order for generated schemas, so `weir crds` output reads well and diffs stay small.</summary>
internal static class SchemaLayout
{
    private static readonly string[] KeyOrder =
    [
        "description", "type", "format", "enum", "pattern", "minLength", "maxLength", "minimum", "default",
        "x-kubernetes-preserve-unknown-fields", "required", "properties", "items", "additionalProperties",
        "x-kubernetes-validations",
    ];

    /// <summary>Puts keywords in a fixed, readable order (description first, nested schemas last), recursively.</summary>
    public static JsonObject Ordered(JsonObject schema)
    {
        var result = new JsonObject();
        foreach (var (key, value) in schema.OrderBy(kv => Array.IndexOf(KeyOrder, kv.Key) is var i and >= 0 ? i : KeyOrder.Length).ToList())
        {
            schema.Remove(key);
            result[key] = key switch
            {
                "properties" when value is JsonObject properties => new JsonObject(properties.ToList().Select(kv =>
                {
                    properties.Remove(kv.Key);
                    return KeyValuePair.Create(kv.Key, (JsonNode?)Ordered((JsonObject)kv.Value!));
                })),
                "items" or "additionalProperties" when value is JsonObject nested => Ordered(nested),
                _ => value,
            };
        }

        return result;
    }
}
