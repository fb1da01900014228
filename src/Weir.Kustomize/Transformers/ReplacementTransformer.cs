using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Kustomize.Model;
using Weir.Kustomize.Yaml;

namespace Weir.Kustomize.Transformers;

/// <summary>
/// <c>replacements:</c> copies a field of one source resource into fields of the selected targets, optionally
/// one part of a delimited value.
/// </summary>
public sealed class ReplacementTransformer(IReadOnlyList<JsonObject> replacements, string source) : IResourceTransformer
{
    public void Transform(ResourceMap resources)
    {
        foreach (var replacement in replacements)
        {
            if (replacement["targets"] is not JsonArray targets || (replacement["source"] is null && replacement["value"] is null))
            {
                throw new KustomizeException($"{source}: replacements must specify a source and at least one target");
            }

            var value = SourceValue(resources, replacement);
            foreach (var target in targets.OfType<JsonObject>())
            {
                ApplyTarget(resources, target, value);
            }
        }
    }

    private JsonNode? SourceValue(ResourceMap resources, JsonObject replacement)
    {
        if (replacement["source"] is not JsonObject src)
        {
            return replacement["value"]?.DeepClone();
        }

        var matches = resources.Resources.Where(r => r.AllIds.Any(id => IdSelected(id, src))).ToList();
        if (matches.Count == 0)
        {
            throw new KustomizeException($"{source}: nothing selected by replacement source {src.ToJsonString()}");
        }

        if (matches.Count > 1)
        {
            throw new KustomizeException($"{source}: multiple matches for replacement source selector {src.ToJsonString()}");
        }

        var fieldPath = (src["fieldPath"]?.ToString() ?? "metadata.name").TrimStart('.');
        var found = FieldPathDotted.Find(matches[0].Object, fieldPath, false);
        if (found.Count == 0 || found[0].Value is null)
        {
            throw new KustomizeException($"{source}: fieldPath `{fieldPath}` is missing for replacement source {matches[0].CurrentId}");
        }

        var node = found[0].Value!.DeepClone();
        if (src["options"] is JsonObject options && options["delimiter"]?.ToString() is { Length: > 0 } delimiter)
        {
            if (node is not JsonValue)
            {
                throw new KustomizeException($"{source}: delimiter option can only be used with scalar nodes");
            }

            var parts = FieldPathDotted.ScalarText(node).Split(delimiter);
            var index = (int)(Numbers.Integer(options["index"]) ?? 0);
            if (index < 0 || index >= parts.Length)
            {
                throw new KustomizeException($"{source}: options.index {index} is out of bounds for value {FieldPathDotted.ScalarText(node)}");
            }

            node = JsonValue.Create(parts[index]);
        }

        return node;
    }

    private static bool IdSelected(ResId id, JsonObject sel)
    {
        static string S(JsonObject o, string k) => o[k]?.ToString() ?? "";
        return id.IsSelectedBy(S(sel, "group"), S(sel, "version"), S(sel, "kind"))
            && (S(sel, "name").Length == 0 || S(sel, "name") == id.Name)
            && (S(sel, "namespace").Length == 0 || S(sel, "namespace") == id.Namespace);
    }

    private void ApplyTarget(ResourceMap resources, JsonObject target, JsonNode? value)
    {
        if (target["select"] is not JsonObject selectNode)
        {
            throw new KustomizeException($"{source}: replacement target must specify resources to select");
        }

        var select = Selector.FromJson(selectNode);
        var rejects = (target["reject"] as JsonArray)?.OfType<JsonObject>().Select(Selector.FromJson).ToList() ?? [];
        var fieldPaths = (target["fieldPaths"] as JsonArray)?.Select(f => f?.ToString() ?? "").ToList() ?? ["metadata.name"];
        var options = target["options"] as JsonObject;
        var create = options?["create"] is JsonValue cv && cv.TryGetValue<bool>(out var c) && c;
        foreach (var r in resources.Resources.ToList())
        {
            if (!LabelSelectors.Matches(select.LabelSelector, r.Object.Labels())
                || !LabelSelectors.Matches(select.AnnotationSelector, r.Object.Annotations()))
            {
                continue;
            }

            if (rejects.Any(rej => Rejects(rej, r)))
            {
                continue;
            }

            if (!r.AllIds.Any(id => IdMatches(select, id)))
            {
                continue;
            }

            foreach (var fp in fieldPaths.Select(f => f.TrimStart('.')))
            {
                var fields = FieldPathDotted.Find(r.Object, fp, create);
                if (fields.Count == 0)
                {
                    throw new KustomizeException(
                        $"{source}: unable to find {(create ? "or create " : "")}field \"{fp}\" in replacement target {r.CurrentId}");
                }

                foreach (var (parent, key, current) in fields)
                {
                    FieldPathDotted.Set(parent, key, NewValue(current, value?.DeepClone(), options));
                }
            }
        }
    }

    private static bool Rejects(Selector reject, Resource r)
    {
        var hasIdFields = reject.Group.Length + reject.Version.Length + reject.Kind.Length + reject.Name.Length + reject.Namespace.Length > 0;
        if (hasIdFields && !r.AllIds.Any(id => IdMatches(reject, id)))
        {
            return false;
        }

        if (reject.LabelSelector.Length == 0 && reject.AnnotationSelector.Length == 0)
        {
            return hasIdFields;
        }

        return LabelSelectors.Matches(reject.LabelSelector, r.Object.Labels())
            && LabelSelectors.Matches(reject.AnnotationSelector, r.Object.Annotations());
    }

    // kustomize v5.5.0 (the oracle) matches replacement targets and rejects exactly; regular expressions came later.
    private static bool IdMatches(Selector s, ResId id) =>
        id.IsSelectedBy(s.Group, s.Version, s.Kind)
        && (s.Name.Length == 0 || s.Name == id.Name)
        && (s.Namespace.Length == 0 || s.Namespace == id.Namespace);

    private static JsonNode? NewValue(JsonNode? current, JsonNode? value, JsonObject? options)
    {
        if (options?["delimiter"]?.ToString() is { Length: > 0 } delimiter)
        {
            var parts = FieldPathDotted.ScalarText(current).Split(delimiter).ToList();
            if (current is null)
            {
                parts = [];
            }

            var index = (int)(Numbers.Integer(options["index"]) ?? 0);
            var v = FieldPathDotted.ScalarText(value);
            if (index < 0)
            {
                parts.Insert(0, v);
            }
            else if (index >= parts.Count)
            {
                parts.Add(v);
            }
            else
            {
                parts[index] = v;
            }

            value = JsonValue.Create(string.Join(delimiter, parts));
        }

        // kustomize keeps a scalar target's type and replaces only its text.
        if (current is JsonValue cur && value is JsonValue val)
        {
            var text = FieldPathDotted.ScalarText(val);
            if (cur.TryGetValue<string>(out _))
            {
                return JsonValue.Create(text);
            }

            if (cur.TryGetValue<bool>(out _) && bool.TryParse(text, out var b))
            {
                return JsonValue.Create(b);
            }

            if (long.TryParse(text, out var l))
            {
                return JsonValue.Create(l);
            }

            if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d))
            {
                return JsonValue.Create(d);
            }

            return JsonValue.Create(text);
        }

        return value;
    }
}
