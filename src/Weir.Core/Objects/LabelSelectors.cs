using System.Text.RegularExpressions;

namespace Weir.Core.Objects;

/// <summary>
/// Label selectors in their text form, matched against an object's labels (or annotations): kustomize patch and
/// replacement targets, and the drift-ignore targets of the applier, read them the same way.
/// </summary>
public static class LabelSelectors
{
    /// <summary>Kubernetes label selector syntax: <c>a=b,c!=d,e in (f,g),h notin (i),j,!k</c>.</summary>
    public static bool Matches(string selector, IReadOnlyDictionary<string, string> labels)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return true;
        }

        foreach (var requirement in SplitRequirements(selector))
        {
            var req = requirement.Trim();
            var m = Regex.Match(req, @"^(\S+)\s+(in|notin)\s+\((.*)\)$");
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
}
