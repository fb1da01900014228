using System.Globalization;
using System.Text.Json.Nodes;

namespace Weir.Core.Api.Schema;

/// <summary>Replaces JSON Schema <c>$ref</c>s with copies of their targets (structural schemas allow none).</summary>
internal static class SchemaReferences
{
    /// <summary>
    /// The exporter writes a repeated type once and points at it with <c>$ref</c>; structural schemas forbid
    /// references, so each one is replaced by a copy of its target (keeping the referrer's own keywords).
    /// </summary>
    public static void Inline(JsonObject root) => Inline(root, root);

    private static void Inline(JsonObject root, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference)
                {
                    obj.Remove("$ref");
                    var target = Resolve(root, reference.GetValue<string>());
                    foreach (var (key, value) in target)
                    {
                        if (!obj.ContainsKey(key))
                        {
                            obj[key] = value?.DeepClone();
                        }
                    }
                }

                foreach (var (_, child) in obj.ToList())
                {
                    Inline(root, child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Inline(root, child);
                }

                break;
        }
    }

    private static JsonObject Resolve(JsonObject root, string pointer)
    {
        if (!pointer.StartsWith('#'))
        {
            throw new InvalidOperationException($"unsupported schema reference {pointer}");
        }

        JsonNode? current = root;
        foreach (var token in pointer[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var key = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            current = current is JsonArray array ? array[int.Parse(key, CultureInfo.InvariantCulture)] : current?[key];
        }

        return current as JsonObject ?? throw new InvalidOperationException($"schema reference {pointer} does not resolve");
    }
}
