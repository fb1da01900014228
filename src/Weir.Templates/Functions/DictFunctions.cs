using Weir.Templates.Values;
using static Weir.Templates.Functions.FunctionBuilder;
using static Weir.Templates.Functions.SprigValues;

namespace Weir.Templates.Functions;

/// <summary>Sprig's dict functions (dict.go): dict, get, set, unset, hasKey, pluck, keys, pick, omit, merge*, values, deepCopy, dig.</summary>
internal static class DictFunctions
{
    public static IReadOnlyList<TemplateFunction> Create()
    {
        var b = new FunctionBuilder();
        b.Variadic("dict", [Any], static (_, a) =>
        {
            var map = new GoMap(a.Length / 2);
            for (var i = 0; i < a.Length; i += 2)
            {
                var key = StrVal(a[i]);
                map.Set(key, i + 1 >= a.Length ? Value.EmptyString : a[i + 1]);
            }

            return Value.Map(map);
        });
        b.Add("get", [Map, Str], static (_, a) => a[0].AsMap.TryGet(a[1].AsString, out var v) ? v : Value.EmptyString);
        b.Add("set", [Map, Str, Any], static (_, a) =>
        {
            a[0].AsMap.Set(a[1].AsString, a[2]);
            return a[0];
        });
        b.Add("unset", [Map, Str], static (_, a) =>
        {
            a[0].AsMap.Remove(a[1].AsString);
            return a[0];
        });
        b.Add("hasKey", [Map, Str], static (_, a) => Value.Bool(a[0].AsMap.ContainsKey(a[1].AsString)));
        b.Variadic("pluck", [Str, Map], static (_, a) =>
        {
            var result = new List<Value>();
            foreach (var d in a[1..])
            {
                if (d.AsMap.TryGet(a[0].AsString, out var v))
                {
                    result.Add(v);
                }
            }

            return List([.. result]);
        });
        b.Variadic("keys", [Map], static (_, a) =>
        {
            var result = new List<string>();
            foreach (var d in a)
            {
                // Go's map order is random; the sorted order is one of the orders Go may give.
                result.AddRange(d.AsMap.SortedKeys());
            }

            return Strings(result);
        });
        b.Variadic("pick", [Map, Str], static (_, a) =>
        {
            var source = a[0].AsMap;
            var result = new GoMap();
            foreach (var k in a[1..])
            {
                if (source.TryGet(k.AsString, out var v))
                {
                    result.Set(k.AsString, v);
                }
            }

            return Value.Map(result);
        });
        b.Variadic("omit", [Map, Str], static (_, a) =>
        {
            var omit = new HashSet<string>(StringComparer.Ordinal);
            foreach (var k in a[1..])
            {
                omit.Add(k.AsString);
            }

            var result = new GoMap();
            foreach (var (k, v) in a[0].AsMap.Entries)
            {
                if (!omit.Contains(k))
                {
                    result.Set(k, v);
                }
            }

            return Value.Map(result);
        });
        b.Variadic("merge", [Map, Map], static (_, a) => MergeAll(a, overwrite: false));
        b.Alias("mustMerge", "merge");
        b.Variadic("mergeOverwrite", [Map, Map], static (_, a) => MergeAll(a, overwrite: true));
        b.Alias("mustMergeOverwrite", "mergeOverwrite");
        b.Add("values", [Map], static (_, a) =>
        {
            var map = a[0].AsMap;
            var result = new List<Value>();
            foreach (var k in map.SortedKeys())
            {
                map.TryGet(k, out var v);
                result.Add(v);
            }

            return List([.. result]);
        });
        b.Add("deepCopy", [Any], static (_, a) => a[0].IsNothing ? throw new TemplateFunctionException("deepCopy error: ") : GoValues.DeepCopy(a[0]));
        b.Add("mustDeepCopy", [Any], static (_, a) => GoValues.DeepCopy(a[0]));
        b.Variadic("dig", [Any], static (_, a) =>
        {
            if (a.Length < 3)
            {
                throw new TemplateFunctionException("dig needs at least three arguments");
            }

            if (a[^1].Ref is not GoMap dict || !ReferenceEquals(dict.Type, GoType.InterfaceMap))
            {
                throw new TemplateFunctionException($"interface conversion: interface {{}} is {TypeNameOf(a[^1])}, not map[string]interface {{}}");
            }

            var def = a[^2];
            var keys = new string[a.Length - 2];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = a[i].Ref as string ?? throw new TemplateFunctionException($"interface conversion: interface {{}} is {TypeNameOf(a[i])}, not string");
            }

            for (var i = 0; ; i++)
            {
                if (!dict.TryGet(keys[i], out var step))
                {
                    return def;
                }

                if (i == keys.Length - 1)
                {
                    return step;
                }

                if (step.Ref is not GoMap next || !ReferenceEquals(next.Type, GoType.InterfaceMap))
                {
                    throw new TemplateFunctionException($"interface conversion: interface {{}} is {TypeNameOf(step)}, not map[string]interface {{}}");
                }

                dict = next;
            }
        });
        return b.Functions;
    }

    private static string TypeNameOf(in Value v) => v.IsNothing ? "nil" : v.Type!.Name;

    private static Value MergeAll(ReadOnlySpan<Value> a, bool overwrite)
    {
        // mergo gives a nil destination a new map.
        var dst = a[0].AsMap.IsNil ? new GoMap(a[0].AsMap.Type) : a[0].AsMap;
        foreach (var src in a[1..])
        {
            Merge(dst, src.AsMap, overwrite);
        }

        return Value.Map(dst);
    }

    /// <summary>mergo.Merge / MergeWithOverwrite over map[string]interface{}: nested maps merge key by key.</summary>
    internal static void Merge(GoMap dst, GoMap src, bool overwrite)
    {
        foreach (var key in src.SortedKeys())
        {
            src.TryGet(key, out var srcElement);
            if (srcElement.IsNil)
            {
                if (overwrite)
                {
                    dst.Set(key, Value.Nil);
                }

                continue;
            }

            var hasDst = dst.TryGet(key, out var dstElement);
            if (srcElement.Ref is GoMap sm && hasDst && dstElement.Ref is GoMap dm)
            {
                Merge(dm, sm, overwrite);
            }

            // mergo merges maps into maps, and with overwrite replaces a slice outright (without, it keeps dst's).
            if (hasDst && !Empty(dstElement) && (srcElement.Ref is GoMap || (srcElement.Ref is GoList && !overwrite)))
            {
                continue;
            }

            if (overwrite || !hasDst || Empty(dstElement))
            {
                dst.Set(key, srcElement);
            }
        }
    }
}
