using System.Text.Json.Nodes;
using Weir.Cluster.Api;

namespace Weir.Cluster.Selectors;

/// <summary>A parsed <c>fieldSelector</c>: comma-separated <c>f=v</c>, <c>f==v</c>, <c>f!=v</c>.</summary>
public sealed class FieldSelector
{
    private sealed record Term(string Field, bool Equal, string Value);

    private readonly List<Term> _terms;

    private FieldSelector(List<Term> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The single value a selector pins <c>metadata.name</c> to, if any.</summary>
    public string? Name => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal)?.Value;

    public static FieldSelector Parse(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var terms = new List<Term>();
        foreach (var part in text.Split(','))
        {
            var p = part.Trim();
            int at;
            bool equal;
            int len;
            if ((at = p.IndexOf("!=", StringComparison.Ordinal)) > 0)
            {
                equal = false;
                len = 2;
            }
            else if ((at = p.IndexOf("==", StringComparison.Ordinal)) > 0)
            {
                equal = true;
                len = 2;
            }
            else if ((at = p.IndexOf('=')) > 0)
            {
                equal = true;
                len = 1;
            }
            else
            {
                throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{p}'");
            }
            var field = p[..at].Trim();
            if (field is not ("metadata.name" or "metadata.namespace") && type.Strategy.FieldValue([], field) is null)
            {
                throw ApiException.BadRequest($"\"{field}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
            }
            terms.Add(new Term(field, equal, p[(at + len)..].Trim()));
        }
        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj, ResourceType type)
    {
        foreach (var t in _terms)
        {
            var actual = t.Field switch
            {
                "metadata.name" => obj["metadata"]?["name"]?.GetValue<string>() ?? "",
                "metadata.namespace" => obj["metadata"]?["namespace"]?.GetValue<string>() ?? "",
                _ => type.Strategy.FieldValue(obj, t.Field) ?? "",
            };
            if ((actual == t.Value) != t.Equal)
            {
                return false;
            }
        }
        return true;
    }
}
