using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Core.Patching;

namespace Weir.Runtime.Apply;

/// <summary>
/// Reads <c>metadata.managedFields</c> (FieldsV1) of a cluster object to tell who owns the field a JSON pointer
/// designates: object members are <c>f:name</c>, list items <c>k:{...}</c> (keys matching the cluster item),
/// <c>v:value</c> (sets of scalars) or <c>i:index</c>.
/// </summary>
public static class FieldOwnership
{
    /// <summary>
    /// True when a manager other than <paramref name="fieldManager"/>, through an <c>Apply</c> operation, owns the
    /// field at <paramref name="pointer"/> (or something under it). False when no such manager is found or the
    /// pointer cannot be followed through the cluster object.
    /// </summary>
    public static bool OwnedByOtherApplier(JsonObject cluster, string pointer, string fieldManager)
    {
        var tokens = JsonPatch.ParsePointer(pointer);
        var entries = cluster["metadata"]?["managedFields"] as JsonArray ?? [];
        return entries.OfType<JsonObject>().Any(e =>
            Str(e["operation"]) == "Apply" && Str(e["manager"]) != fieldManager
            && e["fieldsV1"] is JsonObject fields && Owns(fields, cluster, tokens));
    }

    /// <summary>Whether the FieldsV1 tree <paramref name="fields"/> holds the path <paramref name="tokens"/> of <paramref name="node"/>.</summary>
    public static bool Owns(JsonObject fields, JsonNode? node, IReadOnlyList<string> tokens)
    {
        JsonObject? set = fields;
        foreach (var token in tokens)
        {
            switch (node)
            {
                case JsonObject o:
                    set = set[$"f:{token}"] as JsonObject;
                    node = o.TryGetPropertyValue(token, out var child) ? child : null;
                    break;
                case JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count:
                    set = ItemSet(set, a[i], i);
                    node = a[i];
                    break;
                default:
                    return false;
            }

            if (set is null)
            {
                return false;
            }
        }

        return true;
    }

    private static JsonObject? ItemSet(JsonObject set, JsonNode? item, int index)
    {
        foreach (var (key, value) in set)
        {
            if (value is not JsonObject child || key.Length < 2 || key[1] != ':')
            {
                continue;
            }

            var matches = key[0] switch
            {
                'k' => Parse(key[2..]) is JsonObject keys && item is JsonObject o
                    && keys.All(k => o.TryGetPropertyValue(k.Key, out var v) && JsonNode.DeepEquals(v, k.Value)),
                'v' => JsonNode.DeepEquals(Parse(key[2..]), item),
                'i' => key[2..] == index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => false,
            };
            if (matches)
            {
                return child;
            }
        }

        return null;
    }

    private static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
