using System.Text.Json.Nodes;

namespace Weir.Core.Patching;

/// <summary>Why a JSON Patch failed.</summary>
public enum JsonPatchFailure
{
    /// <summary>The patch itself is malformed (not an operation, no path, unknown op).</summary>
    Malformed,

    /// <summary>A path the operation needs does not exist.</summary>
    MissingPath,

    /// <summary>A <c>test</c> operation found another value.</summary>
    TestFailed,
}

/// <summary>A JSON Patch operation failed (missing path, bad index, failed test).</summary>
public sealed class JsonPatchException(string message, JsonPatchFailure failure = JsonPatchFailure.Malformed, string path = "") : Exception(message)
{
    public JsonPatchFailure Failure { get; } = failure;

    /// <summary>The JSON pointer the failure is about, when there is one.</summary>
    public string Path { get; } = path;
}

/// <summary>JSON Patch (RFC 6902): add, remove, replace, move, copy, test over a <see cref="JsonNode"/> tree.</summary>
public static class JsonPatch
{
    /// <summary>Applies the operations in order and returns the new document (the input is modified in place when possible).</summary>
    public static JsonNode? Apply(JsonNode? document, JsonArray operations)
    {
        foreach (var item in operations)
        {
            if (item is not JsonObject op)
            {
                throw new JsonPatchException("patch operation is not an object");
            }

            var name = Str(op, "op") ?? throw new JsonPatchException("patch operation has no 'op'");
            var path = Str(op, "path") ?? throw new JsonPatchException($"operation '{name}' has no 'path'");
            document = name switch
            {
                "add" => Add(document, path, Value(op)),
                "remove" => Remove(document, path, out _),
                "replace" => Replace(document, path, Value(op)),
                "move" => Move(document, From(op), path),
                "copy" => Add(document, path, Get(document, From(op))?.DeepClone()),
                "test" => Test(document, path, Value(op)),
                _ => throw new JsonPatchException($"unexpected operation '{name}'"),
            };
        }

        return document;
    }

    /// <summary>Splits a JSON Pointer (RFC 6901) into unescaped tokens.</summary>
    public static IReadOnlyList<string> ParsePointer(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new JsonPatchException($"JSON pointer '{pointer}' does not start with '/'");
        }

        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToList();
    }

    /// <summary>The node a pointer designates, or throws when it does not exist.</summary>
    public static JsonNode? Get(JsonNode? document, string pointer)
    {
        var node = document;
        foreach (var token in ParsePointer(pointer))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw new JsonPatchException($"path '{pointer}' does not exist", JsonPatchFailure.MissingPath, pointer),
            };
        }

        return node;
    }

    private static JsonNode? Value(JsonObject op) =>
        op.TryGetPropertyValue("value", out var v) ? v?.DeepClone() : throw new JsonPatchException($"operation '{Str(op, "op")}' has no 'value'");

    private static string From(JsonObject op) => Str(op, "from") ?? throw new JsonPatchException($"operation '{Str(op, "op")}' has no 'from'");

    private static string? Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static (JsonNode Parent, string Token) Parent(JsonNode? document, string path)
    {
        var tokens = ParsePointer(path);
        var parentPointer = "/" + string.Join('/', tokens.Take(tokens.Count - 1).Select(t => t.Replace("~", "~0").Replace("/", "~1")));
        var parent = tokens.Count == 1 ? document : Get(document, parentPointer);
        return parent is null ? throw new JsonPatchException($"path '{path}' does not exist", JsonPatchFailure.MissingPath, path) : (parent, tokens[^1]);
    }

    private static JsonNode? Add(JsonNode? document, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value;
        }

        var (parent, token) = Parent(document, path);
        switch (parent)
        {
            case JsonObject o:
                o[token] = value;
                break;
            case JsonArray a when token == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(token, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new JsonPatchException($"cannot add at path '{path}'", JsonPatchFailure.MissingPath, path);
        }

        return document;
    }

    private static JsonNode? Remove(JsonNode? document, string path, out JsonNode? removed)
    {
        var (parent, token) = Parent(document, path);
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(token, out removed):
                o.Remove(token);
                break;
            case JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count:
                removed = a[i];
                a.RemoveAt(i);
                break;
            default:
                throw new JsonPatchException($"cannot remove path '{path}': it does not exist", JsonPatchFailure.MissingPath, path);
        }

        return document;
    }

    private static JsonNode? Replace(JsonNode? document, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value;
        }

        var (parent, token) = Parent(document, path);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(token):
                o[token] = value;
                break;
            case JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count:
                a[i] = value;
                break;
            default:
                throw new JsonPatchException($"cannot replace path '{path}': it does not exist", JsonPatchFailure.MissingPath, path);
        }

        return document;
    }

    private static JsonNode? Move(JsonNode? document, string from, string path)
    {
        document = Remove(document, from, out var value);
        return Add(document, path, value);
    }

    private static JsonNode? Test(JsonNode? document, string path, JsonNode? value) =>
        JsonNode.DeepEquals(Get(document, path), value) ? document : throw new JsonPatchException($"test failed at path '{path}'", JsonPatchFailure.TestFailed, path);
}
