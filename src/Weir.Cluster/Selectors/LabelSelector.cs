using System.Text.Json.Nodes;
using Weir.Cluster.Api;

namespace Weir.Cluster.Selectors;

/// <summary>A parsed <c>labelSelector</c>: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>.</summary>
public sealed class LabelSelector
{
    private sealed record Requirement(string Key, string Op, IReadOnlyList<string> Values);

    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var reqs = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            reqs.Add(ParseRequirement(part.Trim(), text));
        }
        return new LabelSelector(reqs);
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    private static Requirement ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw Bad(whole, "found '', expected: identifier");
        }
        if (part.StartsWith('!'))
        {
            return new Requirement(Key(part[1..].Trim(), whole), "!", []);
        }
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var value = part[(at + op.Length)..].Trim();
                if (value.IndexOfAny(['=', '!', '(', ')', ' ']) >= 0)
                {
                    throw Bad(whole, $"invalid label value: \"{value}\"");
                }
                return new Requirement(Key(part[..at].Trim(), whole), op == "!=" ? "!=" : "=", [value]);
            }
        }
        var words = part.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 1)
        {
            return new Requirement(Key(words[0], whole), "exists", []);
        }
        var rest = words[1].Trim();
        string opWord;
        if (rest.StartsWith("notin", StringComparison.Ordinal))
        {
            opWord = "notin";
        }
        else if (rest.StartsWith("in", StringComparison.Ordinal))
        {
            opWord = "in";
        }
        else
        {
            throw Bad(whole, $"found '{rest}', expected: in, notin, =, ==, !=, gt, lt");
        }
        var list = rest[opWord.Length..].Trim();
        if (!list.StartsWith('(') || !list.EndsWith(')'))
        {
            throw Bad(whole, $"found '{list}', expected: '('");
        }
        var values = list[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
        return new Requirement(Key(words[0], whole), opWord, values);
    }

    private static string Key(string key, string whole) =>
        NameRules.ValidQualifiedKey(key) ? key : throw Bad(whole, $"invalid label key \"{key}\"");

    private static ApiException Bad(string whole, string why) =>
        ApiException.BadRequest($"unable to parse requirement: {why}");

    public bool Matches(JsonObject? labels)
    {
        foreach (var r in _requirements)
        {
            var has = labels is not null && labels.ContainsKey(r.Key);
            var value = has && labels![r.Key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            var ok = r.Op switch
            {
                "=" => has && value == r.Values[0],
                "!=" => !has || value != r.Values[0],
                "in" => has && r.Values.Contains(value!),
                "notin" => !has || !r.Values.Contains(value!),
                "exists" => has,
                "!" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
