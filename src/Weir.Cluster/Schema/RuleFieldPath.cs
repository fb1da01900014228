using System.Text;
using System.Text.Json.Nodes;

namespace Weir.Cluster.Schema;

/// <summary>
/// A validation rule's <c>fieldPath</c> (<c>.spec.replicas</c>, <c>.labels['app']</c>) checked against the schema
/// it sits in and normalized as Kubernetes prints it: properties joined with dots, map keys in brackets.
/// </summary>
public static class RuleFieldPath
{
    /// <summary>The normalized path, or null when it does not name a field the schema declares.</summary>
    public static string? Normalize(string path, JsonObject schema)
    {
        var tokens = Tokens(path);
        if (tokens is null)
        {
            return null;
        }

        var result = new StringBuilder();
        var node = schema;
        for (var i = 0; i < tokens.Count; i++)
        {
            string name;
            switch (tokens[i])
            {
                case ".":
                    if (++i >= tokens.Count)
                    {
                        return null;
                    }

                    name = tokens[i];
                    break;
                case "[":
                    if (i + 2 >= tokens.Count || tokens[i + 2] != "]" || tokens[i + 1] is not ['\'', .., '\''] quoted || quoted.Length < 2)
                    {
                        return null;
                    }

                    name = Unquote(quoted[1..^1]);
                    i += 2;
                    break;
                default:
                    return null;
            }

            if (node["properties"] is JsonObject properties)
            {
                if (properties[name] is not JsonObject child)
                {
                    return null;
                }

                result.Append(result.Length > 0 ? "." : "").Append(name);
                node = child;
            }
            else if (node["additionalProperties"] is JsonObject values)
            {
                result.Append('[').Append(name).Append(']');
                node = values;
            }
            else
            {
                return null;
            }
        }

        return result.ToString();
    }

    /// <summary>Splits into '.', '[', ']' and the text between them; single-quoted text keeps its delimiters.</summary>
    private static List<string>? Tokens(string path)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] is '.' or '[' or ']')
            {
                tokens.Add(path[i++].ToString());
                continue;
            }

            var start = i;
            if (path[i] == '\'')
            {
                i++;
                while (i < path.Length && !(path[i] == '\'' && path[i - 1] != '\\'))
                {
                    i++;
                }

                if (i >= path.Length)
                {
                    return null;
                }

                tokens.Add(path[start..++i]);
                continue;
            }

            while (i < path.Length && path[i] is not ('.' or '[' or ']'))
            {
                i++;
            }

            tokens.Add(path[start..i]);
        }

        return tokens;
    }

    private static string Unquote(string text)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                result.Append(text[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => text[i] });
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }
}
