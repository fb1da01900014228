using System.Text.Json.Nodes;

namespace Weir.Kustomize.Transformers;

/// <summary>
/// Dotted field paths as replacements and vars write them: <c>spec.template.spec.containers.[name=app].image</c>,
/// <c>spec.ports.0.port</c>, <c>*</c> wildcards; dots inside brackets do not split.
/// </summary>
public static class FieldPathDotted
{
    public static List<string> Split(string path)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var depth = 0;
        foreach (var c in path)
        {
            if (c == '.' && depth == 0)
            {
                parts.Add(current.ToString());
                current.Clear();
                continue;
            }

            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            current.Append(c);
        }

        parts.Add(current.ToString());
        return parts;
    }

    /// <summary>The nodes at the path (each with its parent and key, to replace it), creating maps when asked.</summary>
    public static List<(JsonNode Parent, object Key, JsonNode? Value)> Find(JsonNode root, string path, bool create, JsonNode? createValue = null)
    {
        var results = new List<(JsonNode, object, JsonNode?)>();
        Walk(root, Split(path), 0, create, createValue, results);
        return results;
    }

    private static void Walk(JsonNode node, List<string> parts, int i, bool create, JsonNode? createValue, List<(JsonNode, object, JsonNode?)> results)
    {
        var part = parts[i];
        var last = i == parts.Count - 1;
        if (part.StartsWith('[') && part.EndsWith(']'))
        {
            var inner = part[1..^1];
            var eq = inner.IndexOf('=');
            if (eq >= 0 && node is JsonArray list)
            {
                var key = inner[..eq];
                var value = inner[(eq + 1)..];
                var found = false;
                for (var idx = 0; idx < list.Count; idx++)
                {
                    var item = list[idx];
                    var match = key.Length == 0
                        ? item is JsonValue && item.ToString() == value
                        : item is JsonObject o && o[key] is JsonValue kv && ScalarText(kv) == value;
                    if (match)
                    {
                        found = true;
                        Step(list, idx, item, parts, i, last, create, createValue, results);
                    }
                }

                if (!found && create && key.Length > 0)
                {
                    var created = new JsonObject { [key] = value };
                    list.Add(created);
                    Step(list, list.Count - 1, created, parts, i, last, create, createValue, results);
                }

                return;
            }

            if (eq < 0 && node is JsonObject mapWithBracket)
            {
                part = inner;
                node = mapWithBracket;
            }
            else
            {
                return;
            }
        }

        switch (node)
        {
            case JsonArray array when part == "*" || part == "-" || int.TryParse(part, out _):
                if (part == "*")
                {
                    for (var idx = 0; idx < array.Count; idx++)
                    {
                        Step(array, idx, array[idx], parts, i, last, create, createValue, results);
                    }
                }
                else if (int.TryParse(part, out var index) && index >= 0 && index < array.Count)
                {
                    Step(array, index, array[index], parts, i, last, create, createValue, results);
                }

                return;
            case JsonObject obj:
                if (part == "*")
                {
                    foreach (var (k, v) in obj.ToList())
                    {
                        StepObj(obj, k, v, parts, i, last, create, createValue, results);
                    }

                    return;
                }

                var child = obj[part];
                if (child is null && !obj.ContainsKey(part) || child is null && create)
                {
                    if (!create)
                    {
                        return;
                    }

                    if (last)
                    {
                        results.Add((obj, part, null));
                        return;
                    }

                    var next = parts[i + 1];
                    child = next.StartsWith('[') && next.Contains('=') ? new JsonArray() : new JsonObject();
                    obj[part] = child;
                }

                StepObj(obj, part, child, parts, i, last, create, createValue, results);
                return;
        }
    }

    private static void Step(JsonArray parent, int index, JsonNode? value, List<string> parts, int i, bool last, bool create, JsonNode? createValue,
        List<(JsonNode, object, JsonNode?)> results)
    {
        if (last)
        {
            results.Add((parent, index, value));
        }
        else if (value is not null)
        {
            Walk(value, parts, i + 1, create, createValue, results);
        }
    }

    private static void StepObj(JsonObject parent, string key, JsonNode? value, List<string> parts, int i, bool last, bool create, JsonNode? createValue,
        List<(JsonNode, object, JsonNode?)> results)
    {
        if (last)
        {
            results.Add((parent, key, value));
        }
        else if (value is not null)
        {
            Walk(value, parts, i + 1, create, createValue, results);
        }
    }

    /// <summary>The YAML text of a scalar (strings unquoted, numbers and booleans as written).</summary>
    public static string ScalarText(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        null => "",
        _ => node.ToJsonString(),
    };

    public static void Set(JsonNode parent, object key, JsonNode? value)
    {
        switch (parent)
        {
            case JsonObject o:
                o[(string)key] = value;
                break;
            case JsonArray a:
                a[(int)key] = value;
                break;
        }
    }
}
