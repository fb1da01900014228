using System.Text.Json.Nodes;

namespace Weir.Kustomize.Transformers;

/// <summary>
/// Visits the fields a field-spec path names (<c>spec/template/spec/containers[]/image</c>): lists met on the way
/// are crossed element by element; with <c>create</c>, missing maps and the final field are created.
/// </summary>
public static class FieldPath
{
    /// <summary>Splits a path on '/', keeping <c>\/</c> escapes and bracketed selectors whole.</summary>
    public static List<string> Split(string path)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var depth = 0;
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '\\' && i + 1 < path.Length && path[i + 1] == '/')
            {
                current.Append('/');
                i++;
            }
            else if (c == '/' && depth == 0)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                depth += c == '[' ? 1 : c == ']' ? -1 : 0;
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return parts.Where(p => p.Length > 0).ToList();
    }

    /// <summary>
    /// Calls <paramref name="set"/> with each value at the path (null when missing and created) and stores what
    /// it returns (returning the same node leaves it in place; returning null removes nothing).
    /// </summary>
    public static void Apply(JsonNode? root, string path, bool create, Func<JsonNode?, JsonNode?> set) =>
        Walk(root, Split(path), 0, create, set);

    private static void Walk(JsonNode? node, List<string> parts, int index, bool create, Func<JsonNode?, JsonNode?> set)
    {
        if (node is JsonArray array)
        {
            foreach (var element in array.ToList())
            {
                Walk(element, parts, index, create, set);
            }

            return;
        }

        if (node is not JsonObject obj || index >= parts.Count)
        {
            return;
        }

        var part = parts[index];
        var isList = part.EndsWith("[]", StringComparison.Ordinal);
        var selector = ParseSelector(ref part);
        var field = isList ? part[..^2] : part;
        var last = index == parts.Count - 1;
        var child = obj[field];
        if (isList && child is null)
        {
            // kustomize reads "field[]" as a hint that the field is a list: a null one becomes empty, a missing one stays missing.
            if (obj.ContainsKey(field))
            {
                obj[field] = new JsonArray();
            }

            return;
        }

        if (selector is { } sel)
        {
            if (child is JsonArray items)
            {
                foreach (var item in items.OfType<JsonObject>().Where(i => i[sel.Key]?.ToString() == sel.Value).ToList())
                {
                    if (last)
                    {
                        Store(items, items.IndexOf(item), set(item));
                    }
                    else
                    {
                        Walk(item, parts, index + 1, create, set);
                    }
                }
            }

            return;
        }

        if (last)
        {
            if (child is JsonArray list && isList)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    Store(list, i, set(list[i]));
                }

                return;
            }

            if (child is null && !create)
            {
                return;
            }

            var updated = set(child);
            if (updated is not null && !ReferenceEquals(updated, child))
            {
                obj[field] = updated.Parent is null ? updated : updated.DeepClone();
            }

            return;
        }

        if (child is null)
        {
            if (!create || isList)
            {
                return;
            }

            child = new JsonObject();
            obj[field] = child;
        }

        Walk(child, parts, index + 1, create, set);
    }

    private static void Store(JsonArray list, int i, JsonNode? updated)
    {
        if (updated is not null && !ReferenceEquals(updated, list[i]))
        {
            list[i] = updated.Parent is null ? updated : updated.DeepClone();
        }
    }

    private static KeyValuePair<string, string>? ParseSelector(ref string part)
    {
        var open = part.IndexOf('[');
        if (open < 0 || !part.EndsWith(']') || part.EndsWith("[]", StringComparison.Ordinal))
        {
            return null;
        }

        var inner = part[(open + 1)..^1];
        var eq = inner.IndexOf('=');
        if (eq < 0)
        {
            return null;
        }

        var result = new KeyValuePair<string, string>(inner[..eq], inner[(eq + 1)..]);
        part = part[..open];
        return result;
    }
}
