using System.Text.Json.Nodes;
using Weir.Cluster.Api;

namespace Weir.Cluster.Patching;

/// <summary>RFC 6902 JSON patch: add, remove, replace, move, copy, test, with RFC 6901 pointers.</summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode document, JsonNode? patch)
    {
        if (patch is not JsonArray ops)
        {
            throw ApiException.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }
        var doc = document.DeepClone();
        foreach (var op in ops)
        {
            if (op is not JsonObject o)
            {
                throw ApiException.BadRequest("invalid JSON patch operation");
            }
            var name = o["op"]?.GetValue<string>() ?? "";
            var path = o["path"]?.GetValue<string>() ?? throw ApiException.BadRequest($"missing path in \"{name}\" operation");
            switch (name)
            {
                case "add":
                    doc = Add(doc, path, o["value"]?.DeepClone());
                    break;
                case "remove":
                    doc = Remove(doc, path, out _);
                    break;
                case "replace":
                    doc = Remove(doc, path, out _);
                    doc = Add(doc, path, o["value"]?.DeepClone());
                    break;
                case "move":
                    var from = o["from"]?.GetValue<string>() ?? throw ApiException.BadRequest("missing from in move");
                    doc = Remove(doc, from, out var moved);
                    doc = Add(doc, path, moved);
                    break;
                case "copy":
                    var src = o["from"]?.GetValue<string>() ?? throw ApiException.BadRequest("missing from in copy");
                    doc = Add(doc, path, Get(doc, src)?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(doc, path), o["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    }
                    break;
                default:
                    throw ApiException.BadRequest($"Unexpected kind: {name}");
            }
        }
        return doc;
    }

    private static List<string> Tokens(string pointer)
    {
        if (pointer == "")
        {
            return [];
        }
        if (!pointer.StartsWith('/'))
        {
            throw ApiException.BadRequest($"invalid JSON pointer \"{pointer}\"");
        }
        return [.. pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode? Get(JsonNode doc, string pointer)
    {
        JsonNode? node = doc;
        foreach (var t in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(t) => o[t],
                JsonArray a when int.TryParse(t, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw Missing(pointer),
            };
        }
        return node;
    }

    private static ApiException Missing(string pointer) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{pointer}\": missing value");

    private static JsonNode? Parent(JsonNode doc, List<string> tokens, string pointer)
    {
        JsonNode? node = doc;
        foreach (var t in tokens.Take(tokens.Count - 1))
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(t) => o[t],
                JsonArray a when int.TryParse(t, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw Missing(pointer),
            };
        }
        return node;
    }

    private static JsonNode Add(JsonNode doc, string pointer, JsonNode? value)
    {
        var tokens = Tokens(pointer);
        if (tokens.Count == 0)
        {
            return value ?? throw ApiException.BadRequest("cannot replace the document with null");
        }
        var parent = Parent(doc, tokens, pointer);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw Missing(pointer);
        }
        return doc;
    }

    private static JsonNode Remove(JsonNode doc, string pointer, out JsonNode? removed)
    {
        var tokens = Tokens(pointer);
        var parent = Parent(doc, tokens, pointer);
        var last = tokens.Count == 0 ? throw Missing(pointer) : tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                removed = o[last];
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                removed = a[i];
                a.RemoveAt(i);
                break;
            default:
                throw Missing(pointer);
        }
        return doc;
    }
}
