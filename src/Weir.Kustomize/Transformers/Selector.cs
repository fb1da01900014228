using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Transformers;

/// <summary>A patch or replacement target: GVK, anchored name/namespace regexes, label and annotation selectors.</summary>
public sealed record Selector(string Group, string Version, string Kind, string Name, string Namespace, string LabelSelector, string AnnotationSelector)
{
    public static Selector FromJson(JsonObject? o) => new(
        Str(o, "group"), Str(o, "version"), Str(o, "kind"), Str(o, "name"), Str(o, "namespace"),
        Str(o, "labelSelector"), Str(o, "annotationSelector"));

    public bool Matches(Resource r)
    {
        var cur = r.CurrentId;
        var org = r.OriginalId;
        if (!cur.IsSelectedBy(Group, Version, Kind))
        {
            return false;
        }

        if (Namespace.Length > 0 && !Regex(Namespace).IsMatch(org.EffectiveNamespace) && !Regex(Namespace).IsMatch(cur.EffectiveNamespace))
        {
            return false;
        }

        if (Name.Length > 0 && !Regex(Name).IsMatch(org.Name) && !Regex(Name).IsMatch(cur.Name))
        {
            return false;
        }

        return LabelSelectorMatches(LabelSelector, Weir.Core.Objects.KubeObject.Labels(r.Object))
            && LabelSelectorMatches(AnnotationSelector, Weir.Core.Objects.KubeObject.Annotations(r.Object));
    }

    public IEnumerable<Resource> Select(ResourceMap map) => map.Resources.Where(Matches).ToList();

    private static Regex Regex(string pattern) => new("^(?:" + pattern + ")$", RegexOptions.CultureInvariant);

    /// <summary>Kubernetes label selector syntax: <c>a=b,c!=d,e in (f,g),h notin (i),j,!k</c>.</summary>
    public static bool LabelSelectorMatches(string selector, IReadOnlyDictionary<string, string> labels)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return true;
        }

        foreach (var requirement in SplitRequirements(selector))
        {
            var req = requirement.Trim();
            var m = System.Text.RegularExpressions.Regex.Match(req, @"^(\S+)\s+(in|notin)\s+\((.*)\)$");
            if (m.Success)
            {
                var values = m.Groups[3].Value.Split(',').Select(v => v.Trim()).ToHashSet();
                var has = labels.TryGetValue(m.Groups[1].Value, out var val) && values.Contains(val);
                if (m.Groups[2].Value == "in" ? !has : has)
                {
                    return false;
                }

                continue;
            }

            if (req.StartsWith('!'))
            {
                if (labels.ContainsKey(req[1..].Trim()))
                {
                    return false;
                }

                continue;
            }

            var ne = req.IndexOf("!=", StringComparison.Ordinal);
            if (ne >= 0)
            {
                if (labels.TryGetValue(req[..ne].Trim(), out var v) && v == req[(ne + 2)..].Trim())
                {
                    return false;
                }

                continue;
            }

            var eq = req.IndexOf('=');
            if (eq >= 0)
            {
                var value = req[(eq + 1)..].TrimStart('=').Trim();
                if (!labels.TryGetValue(req[..eq].Trim(), out var v) || v != value)
                {
                    return false;
                }

                continue;
            }

            if (!labels.ContainsKey(req))
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> SplitRequirements(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            depth += selector[i] == '(' ? 1 : selector[i] == ')' ? -1 : 0;
            if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }

        yield return selector[start..];
    }

    private static string Str(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
