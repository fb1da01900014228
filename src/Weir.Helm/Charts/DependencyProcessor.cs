using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Core.Versioning;
using Weir.Helm.Values;
using Weir.Templates.Values;

namespace Weir.Helm.Charts;

/// <summary>
/// Prepares a chart's subcharts for one set of values, as Helm does before every render: declared dependencies are
/// matched to the charts in <c>charts/</c> (by name and version range), renamed by <c>alias</c>, enabled or disabled by
/// <c>tags</c> and then <c>condition</c> (conditions win), disabled ones removed, and <c>import-values</c> copied from
/// children into parents. The given chart is not changed: the result is a processed copy.
/// </summary>
public static class DependencyProcessor
{
    /// <summary>
    /// Helm's CheckDependencies: every declared dependency must have a chart in charts/ — by its name, or by its alias,
    /// the name source-controller gives a dependency it downloads (helm-controller installs such charts: it never checks).
    /// </summary>
    /// <exception cref="ChartException">Some are missing; the message is Helm's.</exception>
    public static void CheckPresent(Chart chart)
    {
        var declared = chart.Metadata.Dependencies;
        if (declared is not { Count: > 0 })
        {
            return;
        }

        var missing = declared.OfType<ChartDependency>()
            .Where(d => chart.Dependencies.All(c => c.Name != d.Name && (d.Alias.Length == 0 || c.Name != d.Alias)))
            .Select(d => d.Name)
            .ToList();
        if (missing.Count > 0)
        {
            throw new ChartException("an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: "
                + string.Join(", ", missing));
        }
    }

    /// <summary>The chart as rendered with <paramref name="values"/>: enabled subcharts only, imported values applied.</summary>
    public static Chart Process(Chart chart, GoMap values)
    {
        var copy = chart.CopyTree();
        ProcessEnabled(copy, values, "");
        ProcessImportValues(copy);
        return copy;
    }

    /// <summary>Helm's IsCompatibleRange: false when either side does not parse.</summary>
    public static bool IsCompatibleRange(string constraint, string version) =>
        SemverConstraint.TryParse(constraint, out var c, out _) && LooseVersion.TryParse(version, out var v, out _) && c.Check(v);

    private static void ProcessEnabled(Chart chart, GoMap values, string path)
    {
        var declared = chart.Metadata.Dependencies;
        if (declared is null)
        {
            return;
        }

        var result = new List<Chart>();
        foreach (var existing in chart.Dependencies)
        {
            if (!declared.Any(r => r is not null && existing.Name == r.Name && IsCompatibleRange(r.Version, existing.Metadata.Version)))
            {
                result.Add(existing);
            }
        }

        foreach (var req in declared.OfType<ChartDependency>())
        {
            var match = chart.Dependencies.FirstOrDefault(c => c.Name == req.Name && IsCompatibleRange(req.Version, c.Metadata.Version));
            if (match is not null)
            {
                var aliased = match.CopyTree();
                if (req.Alias.Length > 0)
                {
                    aliased.Rename(req.Alias);
                }

                result.Add(aliased);
            }

            if (req.Alias.Length > 0)
            {
                req.Name = req.Alias;
            }
        }

        chart.SetDependencies(result);
        foreach (var req in declared.OfType<ChartDependency>())
        {
            req.Enabled = true;
        }

        var coalesced = ValuesCoalescer.Coalesce(chart, values);
        ApplyTags(declared, coalesced);
        ApplyConditions(declared, coalesced, path);

        var disabled = declared.OfType<ChartDependency>().Where(r => !r.Enabled).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var kept = chart.Dependencies.Where(c => !disabled.Contains(c.Name)).ToList();
        var keptDeclared = declared.Where(r => r is null || !disabled.Contains(r.Name)).ToList();
        foreach (var sub in kept)
        {
            ProcessEnabled(sub, coalesced, path + sub.Name + ".");
        }

        chart.Metadata.Dependencies = keptDeclared;
        chart.SetDependencies(kept);
    }

    private static void ApplyTags(List<ChartDependency?> declared, GoMap values)
    {
        if (!values.TryGet("tags", out var t) || t.MapOrNull() is not GoMap tags)
        {
            return;
        }

        foreach (var req in declared.OfType<ChartDependency>())
        {
            bool anyTrue = false, anyFalse = false;
            foreach (var tag in req.Tags)
            {
                if (tags.TryGet(tag, out var b) && b.Kind == GoKind.Bool)
                {
                    anyTrue |= b.AsBool;
                    anyFalse |= !b.AsBool;
                }
            }

            if (!anyTrue && anyFalse)
            {
                req.Enabled = false;
            }
            else if (anyTrue || !anyFalse)
            {
                req.Enabled = true;
            }
        }
    }

    private static void ApplyConditions(List<ChartDependency?> declared, GoMap values, string path)
    {
        foreach (var req in declared.OfType<ChartDependency>())
        {
            foreach (var condition in req.Condition.Trim().Split(','))
            {
                if (condition.Length > 0 && ValuePath.TryGetValue(values, path + condition, out var v) && v.Kind == GoKind.Bool)
                {
                    req.Enabled = v.AsBool;
                    break;
                }
            }
        }
    }

    private static void ProcessImportValues(Chart chart)
    {
        foreach (var sub in chart.Dependencies)
        {
            ProcessImportValues(sub);
        }

        var declared = chart.Metadata.Dependencies;
        if (declared is null)
        {
            return;
        }

        var values = ValuesCoalescer.Merge(chart, null);
        var imported = new GoMap();
        foreach (var req in declared.OfType<ChartDependency>())
        {
            var normalized = new List<JsonNode?>();
            foreach (var entry in req.ImportValues)
            {
                string child, parent;
                if (entry is JsonObject map)
                {
                    child = GoPrint(map["child"], map.ContainsKey("child"));
                    parent = GoPrint(map["parent"], map.ContainsKey("parent"));
                }
                else if (entry?.GetValueKind() == JsonValueKind.String)
                {
                    child = "exports." + entry.GetValue<string>();
                    parent = ".";
                }
                else
                {
                    continue;
                }

                normalized.Add(new JsonObject { ["child"] = child, ["parent"] = parent });
                var table = ValuePath.Table(values, req.Name + "." + child);
                if (table is null)
                {
                    continue;
                }

                imported = ValuesCoalescer.MergeTables(imported, parent == "." ? table : Nest(parent, table));
            }

            req.ImportValues = normalized;
        }

        var copy = GoValues.DeepCopy(Value.Map(values)).AsMap;
        chart.Values = ValuesCoalescer.MergeTables(copy, imported);
    }

    private static GoMap Nest(string path, GoMap data)
    {
        var current = data;
        var parts = path.Split('.');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            var wrapper = new GoMap(1);
            wrapper.Set(parts[i], Value.Map(current));
            current = wrapper;
        }

        return current;
    }

    // fmt's %v of a decoded YAML value, as Helm formats child and parent.
    private static string GoPrint(JsonNode? node, bool present) =>
        !present || node is null ? "<nil>" : GoValues.FromJson(node).ToString();
}
