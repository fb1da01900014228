using Weir.Helm.Charts;
using Weir.Templates.Values;

namespace Weir.Helm.Values;

/// <summary>
/// Combines a chart's default values with the values given for a release, exactly as Helm coalesces them: given
/// values win over defaults; maps merge key by key, anything else is replaced; a <c>null</c> removes a default
/// (when coalescing; merging keeps it); each subchart's section is coalesced with its own defaults; <c>global</c>
/// flows down to every subchart. The input maps are never changed.
/// </summary>
public static class ValuesCoalescer
{
    public const string GlobalKey = "global";

    /// <summary>Helm's CoalesceValues: the values a render sees (nulls removed).</summary>
    public static GoMap Coalesce(Chart chart, GoMap? values) => Run(chart, values, merge: false);

    /// <summary>Helm's MergeValues: like <see cref="Coalesce"/> but nulls are kept for a later coalesce.</summary>
    public static GoMap Merge(Chart chart, GoMap? values) => Run(chart, values, merge: true);

    /// <summary>Helm's CoalesceTables: <paramref name="dst"/> (authoritative) gains what it lacks from <paramref name="src"/>; both may change.</summary>
    public static GoMap CoalesceTables(GoMap dst, GoMap src) => Tables(dst, src, merge: false);

    /// <summary>Helm's MergeTables: <see cref="CoalesceTables"/> keeping nulls.</summary>
    public static GoMap MergeTables(GoMap dst, GoMap src) => Tables(dst, src, merge: true);

    private static GoMap Run(Chart chart, GoMap? values, bool merge)
    {
        var copy = values is null ? new GoMap() : GoValues.DeepCopy(Value.Map(values)).AsMap;
        return CoalesceChart(chart, copy, merge);
    }

    private static GoMap CoalesceChart(Chart chart, GoMap dest, bool merge)
    {
        CoalesceDefaults(chart, dest, merge);
        foreach (var sub in chart.Dependencies)
        {
            if (!dest.TryGet(sub.Name, out var section))
            {
                section = Value.Map(new GoMap());
                dest.Set(sub.Name, section);
            }
            else if (section.MapOrNull() is not GoMap)
            {
                throw new ValuesException($"type mismatch on {sub.Name}: %!t({DescribeForT(section)})");
            }

            var sectionMap = section.AsMap;
            CoalesceGlobals(sectionMap, dest);
            dest.Set(sub.Name, Value.Map(CoalesceChart(sub, sectionMap, merge)));
        }

        return dest;
    }

    // Copies the parent's globals into the subchart's section; the parent's win.
    private static void CoalesceGlobals(GoMap dest, GoMap src)
    {
        GoMap destGlobals;
        if (!dest.TryGet(GlobalKey, out var dg))
        {
            destGlobals = new GoMap();
        }
        else if (dg.MapOrNull() is GoMap dgm)
        {
            destGlobals = dgm;
        }
        else
        {
            return;
        }

        GoMap srcGlobals;
        if (!src.TryGet(GlobalKey, out var sg))
        {
            srcGlobals = new GoMap();
        }
        else if (sg.MapOrNull() is GoMap sgm)
        {
            srcGlobals = sgm;
        }
        else
        {
            return;
        }

        foreach (var (key, value) in srcGlobals.Entries.ToList())
        {
            if (value.MapOrNull() is GoMap table)
            {
                var copy = ShallowCopy(table);
                if (!destGlobals.TryGet(key, out var existing))
                {
                    destGlobals.Set(key, Value.Map(copy));
                }
                else if (existing.MapOrNull() is GoMap existingMap)
                {
                    Tables(copy, existingMap, merge: true);
                    destGlobals.Set(key, Value.Map(copy));
                }
            }
            else if (!(destGlobals.TryGet(key, out var d) && d.MapOrNull() is GoMap))
            {
                destGlobals.Set(key, value);
            }
        }

        dest.Set(GlobalKey, Value.Map(destGlobals));
    }

    // Lays the chart's defaults under the given values of that chart.
    private static void CoalesceDefaults(Chart chart, GoMap given, bool merge)
    {
        var defaults = GoValues.DeepCopy(Value.Map(chart.Values)).AsMap;
        foreach (var (key, value) in defaults.Entries.ToList())
        {
            if (given.TryGet(key, out var givenValue))
            {
                if (givenValue.IsNil && !merge)
                {
                    given.Remove(key);
                }
                else if (givenValue.MapOrNull() is GoMap givenTable && value.MapOrNull() is GoMap defaultTable)
                {
                    var childMerge = merge || chart.Dependencies.Any(d => d.Name == key);
                    if (!childMerge)
                    {
                        RemoveNils(defaultTable);
                    }

                    Tables(givenTable, defaultTable, childMerge);
                }
            }
            else
            {
                if (!merge)
                {
                    if (value.IsNil)
                    {
                        continue;
                    }

                    if (value.MapOrNull() is GoMap m)
                    {
                        RemoveNils(m);
                    }
                }

                given.Set(key, value);
            }
        }
    }

    private static GoMap Tables(GoMap dst, GoMap src, bool merge)
    {
        var srcNonNil = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in src.Entries)
        {
            if (!value.IsNil)
            {
                srcNonNil.Add(key);
            }
        }

        foreach (var (key, value) in dst.Entries.ToList())
        {
            if (value.IsNil)
            {
                src.Set(key, Value.Nil);
            }
        }

        foreach (var (key, value) in src.Entries.ToList())
        {
            var present = dst.TryGet(key, out var dv);
            if (present && !merge && dv.IsNil && srcNonNil.Contains(key))
            {
                dst.Remove(key);
            }
            else if (!present)
            {
                dst.Set(key, value);
            }
            else if (value.MapOrNull() is GoMap srcTable && dv.MapOrNull() is GoMap dstTable)
            {
                Tables(dstTable, srcTable, merge);
            }
        }

        return dst;
    }

    private static void RemoveNils(GoMap map)
    {
        foreach (var (key, value) in map.Entries.ToList())
        {
            if (value.IsNil)
            {
                map.Remove(key);
            }
            else if (value.MapOrNull() is GoMap inner)
            {
                RemoveNils(inner);
            }
        }
    }

    private static GoMap ShallowCopy(GoMap map)
    {
        var copy = new GoMap(map.Count);
        foreach (var (key, value) in map.Entries)
        {
            copy.Set(key, value);
        }

        return copy;
    }

    private static string DescribeForT(in Value v) => v.IsNil ? "<nil>" : $"{v.Type!.Name}={v}";
}
