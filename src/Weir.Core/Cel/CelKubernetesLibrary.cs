namespace Weir.Core.Cel;

/// <summary>
/// The functions Kubernetes adds to CEL for validation rules that Weir implements: the lists library (isSorted, sum,
/// min, max, indexOf, lastIndexOf), the regex library (find, findAll) and the sets extension (sets.contains,
/// sets.equivalent, sets.intersects).
/// </summary>
internal static class CelKubernetesLibrary
{
    public static bool TryCall(string function, IReadOnlyList<object?> args, out object? result)
    {
        result = (function, args.Count, args.ElementAtOrDefault(0), args.ElementAtOrDefault(1)) switch
        {
            ("sets.contains", 2, IReadOnlyList<object?> set, IReadOnlyList<object?> items) => items.All(i => Contains(set, i)),
            ("sets.equivalent", 2, IReadOnlyList<object?> a, IReadOnlyList<object?> b) => a.All(i => Contains(b, i)) && b.All(i => Contains(a, i)),
            ("sets.intersects", 2, IReadOnlyList<object?> a, IReadOnlyList<object?> b) => a.Any(i => Contains(b, i)),
            ("sets.contains" or "sets.equivalent" or "sets.intersects", _, _, _) => throw CelFunctions.NoOverload(function, args),
            _ => Unknown.Value,
        };
        return result is not Unknown;
    }

    public static bool TryMethod(string function, object? target, IReadOnlyList<object?> args, out object? result)
    {
        result = (target, function, args.Count) switch
        {
            (IReadOnlyList<object?> list, "isSorted", 0) => IsSorted(list),
            (IReadOnlyList<object?> list, "sum", 0) => list.Count == 0 ? 0L : list.Skip(1).Aggregate(list[0], (sum, item) => CelFunctions.Call("_+_", null, false, [sum, item])),
            (IReadOnlyList<object?> list, "min", 0) => Extreme(list, "min", -1),
            (IReadOnlyList<object?> list, "max", 0) => Extreme(list, "max", 1),
            (IReadOnlyList<object?> list, "indexOf", 1) => (long)IndexOf(list, args[0], fromEnd: false),
            (IReadOnlyList<object?> list, "lastIndexOf", 1) => (long)IndexOf(list, args[0], fromEnd: true),
            (string s, "find", 1) when args[0] is string pattern =>
                CelFunctions.WithPattern(pattern, regex => regex.Match(s) is { Success: true } m ? m.Value : ""),
            (string s, "findAll", 1) when args[0] is string pattern => FindAll(s, pattern, long.MaxValue),
            (string s, "findAll", 2) when args[0] is string pattern && args[1] is long limit => FindAll(s, pattern, limit),
            _ => Unknown.Value,
        };
        return result is not Unknown;
    }

    private static bool Contains(IReadOnlyList<object?> list, object? item) => list.Any(x => CelValues.Equal(x, item));

    private static bool IsSorted(IReadOnlyList<object?> list)
    {
        for (var i = 1; i < list.Count; i++)
        {
            if (CelFunctions.Compare("_<=_", [list[i - 1], list[i]]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static object? Extreme(IReadOnlyList<object?> list, string name, int direction)
    {
        if (list.Count == 0)
        {
            throw new CelException($"{name} called on empty list");
        }

        var best = list[0];
        foreach (var item in list.Skip(1))
        {
            if (CelFunctions.Compare("_<_", [item, best]) * direction > 0)
            {
                best = item;
            }
        }

        return best;
    }

    private static int IndexOf(IReadOnlyList<object?> list, object? item, bool fromEnd)
    {
        for (var n = 0; n < list.Count; n++)
        {
            var i = fromEnd ? list.Count - 1 - n : n;
            if (CelValues.Equal(list[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    private static List<object?> FindAll(string s, string pattern, long limit) =>
        limit == 0 ? [] : CelFunctions.WithPattern(pattern, regex =>
            regex.Matches(s).Take(limit < 0 ? int.MaxValue : (int)Math.Min(limit, int.MaxValue)).Select(m => (object?)m.Value).ToList());

    /// <summary>Marks "not a function of this library", as null is a valid result.</summary>
    private sealed class Unknown
    {
        public static readonly Unknown Value = new();
    }
}
