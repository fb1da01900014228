using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Core.Objects;
using Weir.Kustomize.Model;
using Weir.Kustomize.Yaml;

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
        if (!Matches(Group, cur.Gvk.Group) || !Matches(Version, cur.Gvk.Version) || !Matches(Kind, cur.Gvk.Kind))
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

        return LabelSelectors.Matches(LabelSelector, r.Object.Labels()) && LabelSelectors.Matches(AnnotationSelector, r.Object.Annotations());
    }

    public IEnumerable<Resource> Select(ResourceMap map) => map.Resources.Where(Matches).ToList();

    // Every part of a selector is an anchored regular expression; an empty one matches anything.
    private static bool Matches(string pattern, string value) => pattern.Length == 0 || Regex(pattern).IsMatch(value);

    private static Regex Regex(string pattern)
    {
        try
        {
            return new("^(?:" + pattern + ")$", RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw new KustomizeException($"invalid selector pattern '{pattern}': {e.Message}");
        }
    }

    private static string Str(JsonObject? o, string key) => o?.Field(key) is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
