using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Core.Api.Meta;
using Weir.Core.Objects;
using Weir.Core.Patching;

namespace Weir.Runtime.Apply;

/// <summary>A <c>spec.ignore</c> entry that cannot be used: a malformed JSON pointer or target regex.</summary>
public sealed class InvalidIgnoreRuleException(string message) : Exception(message);

/// <summary>
/// Validated <c>spec.ignore</c> rules: which JSON pointers to leave out of drift detection and apply for an object.
/// A rule without a target applies to every object; a target selects objects as a kustomize patch target does: by
/// group, version and kind when set, anchored name and namespace regexes, label and annotation selectors.
/// </summary>
public sealed class DriftIgnoreRules
{
    private readonly List<(Selector? Target, List<string> Paths)> _rules;

    private DriftIgnoreRules(List<(Selector?, List<string>)> rules) => _rules = rules;

    /// <summary>Validates the rules; throws <see cref="InvalidIgnoreRuleException"/> naming the first bad rule and path.</summary>
    public static DriftIgnoreRules Parse(IReadOnlyList<IgnoreRule>? rules)
    {
        var parsed = new List<(Selector?, List<string>)>();
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            var rule = rules![i];
            var paths = new List<string>();
            foreach (var path in rule.Paths ?? [])
            {
                if (PointerError(path) is { } error)
                {
                    throw new InvalidIgnoreRuleException($"invalid ignore rule spec.ignore[{i}]: path '{path}' is not a valid JSON pointer: {error}");
                }

                paths.Add(path);
            }

            var target = rule.Target;
            if (target is not null)
            {
                foreach (var (field, pattern) in new[] { ("name", target.Name ?? ""), ("namespace", target.Namespace ?? "") })
                {
                    if (RegexError(pattern) is { } error)
                    {
                        throw new InvalidIgnoreRuleException($"invalid ignore rule spec.ignore[{i}]: target {field} '{pattern}' is not a valid regular expression: {error}");
                    }
                }
            }

            parsed.Add((target, paths));
        }

        return new DriftIgnoreRules(parsed);
    }

    /// <summary>The ignored pointers for an object, selected on its dry-run result; in rule order, without duplicates.</summary>
    public IReadOnlyList<string> PathsFor(JsonObject dryRun)
    {
        if (_rules.Count == 0)
        {
            return [];
        }

        return _rules.Where(r => r.Target is null || Matches(r.Target, dryRun)).SelectMany(r => r.Paths).Distinct().ToList();
    }

    private static bool Matches(Selector target, JsonObject obj)
    {
        var gvk = obj.Gvk();
        return Is(target.Group, gvk.Group) && Is(target.Version, gvk.Version) && Is(target.Kind, gvk.Kind)
            && Anchored(target.Namespace, obj.Namespace()) && Anchored(target.Name, obj.Name())
            && LabelSelectors.Matches(target.LabelSelector ?? "", obj.Labels())
            && LabelSelectors.Matches(target.AnnotationSelector ?? "", obj.Annotations());

        static bool Is(string? wanted, string actual) => string.IsNullOrEmpty(wanted) || wanted == actual;

        static bool Anchored(string? pattern, string value) =>
            string.IsNullOrEmpty(pattern) || new Regex("^(?:" + pattern + ")$", RegexOptions.CultureInvariant).IsMatch(value);
    }

    private static string? PointerError(string path)
    {
        if (path.Length == 0)
        {
            return "empty pointer (the whole object cannot be ignored)";
        }

        try
        {
            JsonPatch.ParsePointer(path);
        }
        catch (JsonPatchException e)
        {
            return e.Message;
        }

        // RFC 6901 allows '~' only as the escapes ~0 and ~1.
        return Regex.IsMatch(path, "~(?![01])") ? "'~' must be followed by '0' or '1'" : null;
    }

    private static string? RegexError(string pattern)
    {
        try
        {
            _ = new Regex(pattern);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
