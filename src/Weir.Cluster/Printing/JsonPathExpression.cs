using System.Text.Json.Nodes;

namespace Weir.Cluster.Printing;

/// <summary>
/// The subset of kubectl JSONPath that printer columns use: <c>.a.b</c>, <c>['a.b']</c>, <c>[0]</c>, <c>[*]</c>,
/// <c>[?(@.type=="Ready")]</c> and <c>[?(@.x)]</c>. Evaluation yields every matching node.
/// </summary>
public sealed class JsonPathExpression
{
    private abstract record Step;
    private sealed record Field(string Name) : Step;
    private sealed record Index(int At) : Step;
    private sealed record Wildcard : Step;
    private sealed record Filter(IReadOnlyList<string> Path, string Op, JsonNode? Value) : Step;

    private readonly List<Step> _steps;

    private JsonPathExpression(List<Step> steps) => _steps = steps;

    public static JsonPathExpression Parse(string text)
    {
        var s = text.Trim();
        if (s.StartsWith('{') && s.EndsWith('}'))
        {
            s = s[1..^1];
        }
        if (s.StartsWith('$'))
        {
            s = s[1..];
        }
        var steps = new List<Step>();
        var i = 0;
        while (i < s.Length)
        {
            if (s[i] == '.')
            {
                i++;
                var start = i;
                while (i < s.Length && s[i] != '.' && s[i] != '[')
                {
                    i++;
                }
                if (i > start)
                {
                    var name = s[start..i];
                    steps.Add(name == "*" ? new Wildcard() : new Field(name));
                }
            }
            else if (s[i] == '[')
            {
                var end = FindClose(s, i);
                var inner = s[(i + 1)..end].Trim();
                i = end + 1;
                steps.Add(ParseBracket(inner));
            }
            else
            {
                var start = i;
                while (i < s.Length && s[i] != '.' && s[i] != '[')
                {
                    i++;
                }
                steps.Add(new Field(s[start..i]));
            }
        }
        return new JsonPathExpression(steps);
    }

    private static int FindClose(string s, int open)
    {
        var depth = 0;
        var quote = '\0';
        for (var i = open; i < s.Length; i++)
        {
            var c = s[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                continue;
            }
            if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '[')
            {
                depth++;
            }
            else if (c == ']' && --depth == 0)
            {
                return i;
            }
        }
        throw new FormatException($"unterminated [ in JSONPath {s}");
    }

    private static Step ParseBracket(string inner)
    {
        if (inner == "*")
        {
            return new Wildcard();
        }
        if (int.TryParse(inner, out var n))
        {
            return new Index(n);
        }
        if ((inner.StartsWith('\'') && inner.EndsWith('\'')) || (inner.StartsWith('"') && inner.EndsWith('"')))
        {
            return new Field(inner[1..^1]);
        }
        if (inner.StartsWith("?(") && inner.EndsWith(')'))
        {
            var cond = inner[2..^1].Trim();
            foreach (var op in new[] { "==", "!=" })
            {
                var at = cond.IndexOf(op, StringComparison.Ordinal);
                if (at > 0)
                {
                    var left = cond[..at].Trim();
                    var right = cond[(at + op.Length)..].Trim();
                    return new Filter(RelativePath(left), op, Literal(right));
                }
            }
            return new Filter(RelativePath(cond), "exists", null);
        }
        throw new FormatException($"unsupported JSONPath segment [{inner}]");
    }

    private static List<string> RelativePath(string text)
    {
        var t = text.StartsWith('@') ? text[1..] : text;
        return [.. t.Split('.', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static JsonNode? Literal(string text)
    {
        if ((text.StartsWith('"') && text.EndsWith('"')) || (text.StartsWith('\'') && text.EndsWith('\'')))
        {
            return JsonValue.Create(text[1..^1]);
        }
        return JsonNode.Parse(text);
    }

    public List<JsonNode> Evaluate(JsonNode? root)
    {
        var current = new List<JsonNode>();
        if (root is not null)
        {
            current.Add(root);
        }
        foreach (var step in _steps)
        {
            var next = new List<JsonNode>();
            foreach (var node in current)
            {
                Apply(step, node, next);
            }
            current = next;
        }
        return current;
    }

    private static void Apply(Step step, JsonNode node, List<JsonNode> into)
    {
        switch (step)
        {
            case Field f when node is JsonObject o && o[f.Name] is { } v:
                into.Add(v);
                break;
            case Index ix when node is JsonArray a:
                var at = ix.At < 0 ? a.Count + ix.At : ix.At;
                if (at >= 0 && at < a.Count && a[at] is { } picked)
                {
                    into.Add(picked);
                }
                break;
            case Wildcard when node is JsonArray a:
                into.AddRange(a.Where(x => x is not null)!);
                break;
            case Wildcard when node is JsonObject o:
                into.AddRange(o.Select(kv => kv.Value).Where(x => x is not null)!);
                break;
            case Filter flt when node is JsonArray a:
                foreach (var item in a)
                {
                    if (item is not null && Matches(flt, item))
                    {
                        into.Add(item);
                    }
                }
                break;
        }
    }

    private static bool Matches(Filter f, JsonNode item)
    {
        JsonNode? v = item;
        foreach (var p in f.Path)
        {
            v = v is JsonObject o ? o[p] : null;
        }
        return f.Op switch
        {
            "exists" => v is not null,
            "==" => JsonNode.DeepEquals(v, f.Value),
            _ => !JsonNode.DeepEquals(v, f.Value),
        };
    }
}
