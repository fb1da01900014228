using Weir.Templates.Values;
using static Weir.Templates.Functions.FunctionBuilder;
using static Weir.Templates.Functions.SprigValues;

namespace Weir.Templates.Functions;

/// <summary>Sprig's list functions (list.go).</summary>
internal static class ListFunctions
{
    public static IReadOnlyList<TemplateFunction> Create()
    {
        var b = new FunctionBuilder();
        b.Variadic("list", [Any], static (_, a) => List(a.ToArray()));
        b.Alias("tuple", "list");
        b.Add("push", [Any, Any], static (_, a) => Push(a[0], a[1], "push"));
        b.Alias("append", "push");
        b.Alias("mustPush", "push");
        b.Alias("mustAppend", "push");
        b.Add("prepend", [Any, Any], static (_, a) =>
        {
            var items = ListArg(a[0], "prepend");
            var result = new Value[items.Length + 1];
            result[0] = a[1];
            items.CopyTo(result.AsSpan(1));
            return List(result);
        });
        b.Alias("mustPrepend", "prepend");
        b.Add("chunk", [Int, Any], static (c, a) => Chunk(c, a[0].RawInt, a[1]));
        b.Alias("mustChunk", "chunk");
        b.Add("first", [Any], static (_, a) =>
        {
            var items = ListArg(a[0], "find first");
            return items.Length == 0 ? Value.Nil : items[0];
        });
        b.Alias("mustFirst", "first");
        b.Add("last", [Any], static (_, a) =>
        {
            var items = ListArg(a[0], "find last");
            return items.Length == 0 ? Value.Nil : items[^1];
        });
        b.Alias("mustLast", "last");
        b.Add("rest", [Any], static (_, a) =>
        {
            var items = ListArg(a[0], "find rest");
            return items.Length == 0 ? NilList : List(items[1..].ToArray());
        });
        b.Alias("mustRest", "rest");
        b.Add("initial", [Any], static (_, a) =>
        {
            var items = ListArg(a[0], "find initial");
            return items.Length == 0 ? NilList : List(items[..^1].ToArray());
        });
        b.Alias("mustInitial", "initial");
        b.Add("reverse", [Any], static (_, a) =>
        {
            var items = ListArg(a[0], "find reverse").ToArray();
            Array.Reverse(items);
            return List(items);
        });
        b.Alias("mustReverse", "reverse");
        b.Add("uniq", [Any], static (_, a) =>
        {
            var result = new List<Value>();
            foreach (var item in ListArg(a[0], "find uniq"))
            {
                if (!InList(result, item))
                {
                    result.Add(item);
                }
            }

            return List([.. result]);
        });
        b.Alias("mustUniq", "uniq");
        b.Variadic("without", [Any, Any], static (_, a) =>
        {
            var omit = a[1..].ToArray();
            var result = new List<Value>();
            foreach (var item in ListArg(a[0], "find without"))
            {
                if (!InList(omit, item))
                {
                    result.Add(item);
                }
            }

            return List([.. result]);
        });
        b.Alias("mustWithout", "without");
        b.Add("has", [Any, Any], static (_, a) =>
        {
            if (a[1].IsNothing)
            {
                return Value.False;
            }

            foreach (var item in ListArg(a[1], "find has"))
            {
                if (GoValues.DeepEqual(a[0], item))
                {
                    return Value.True;
                }
            }

            return Value.False;
        });
        b.Alias("mustHas", "has");
        b.Variadic("slice", [Any, Any], static (_, a) =>
        {
            var list = a[0];
            if (list.Ref is not GoList && !list.IsNothing)
            {
                throw new TemplateFunctionException($"list should be type of slice or array but {KindName(list)}");
            }

            var items = ListArg(list, "slice");
            if (items.Length == 0)
            {
                return Value.Nil;
            }

            var start = a.Length > 1 ? (int)ToInt64(a[1]) : 0;
            var end = a.Length > 2 ? (int)ToInt64(a[2]) : items.Length;
            if (start < 0 || end < start || end > items.Length)
            {
                throw new TemplateFunctionException($"reflect: slice index out of range");
            }

            return Value.List(new GoList(list.AsList.Type, items[start..end].ToArray()));
        });
        b.Alias("mustSlice", "slice");
        b.Variadic("concat", [Any], static (_, a) =>
        {
            var result = new List<Value>();
            foreach (var list in a)
            {
                if (list.Ref is not GoList l)
                {
                    throw new TemplateFunctionException($"Cannot concat type {KindName(list)} as list");
                }

                result.AddRange(l.AsSpan());
            }

            return result.Count == 0 ? NilList : List([.. result]);
        });
        b.Add("compact", [Any], static (_, a) =>
        {
            var result = new List<Value>();
            foreach (var item in ListArg(a[0], "compact"))
            {
                if (!Empty(item))
                {
                    result.Add(item);
                }
            }

            return List([.. result]);
        });
        b.Alias("mustCompact", "compact");
        b.Add("until", [Int], static (c, a) =>
        {
            var count = a[0].RawInt;
            return UntilStep(c, 0, count, count < 0 ? -1 : 1);
        });
        b.Add("untilStep", [Int, Int, Int], static (c, a) => UntilStep(c, a[0].RawInt, a[1].RawInt, a[2].RawInt));
        return b.Functions;
    }

    // A nil []interface{}: prints as [] and is empty, like an empty list.
    private static Value NilList => Value.List(GoList.Empty);

    private static bool InList(IEnumerable<Value> haystack, in Value needle)
    {
        foreach (var h in haystack)
        {
            if (GoValues.DeepEqual(needle, h))
            {
                return true;
            }
        }

        return false;
    }

    private static Value Push(in Value list, in Value v, string what)
    {
        var items = ListArg(list, what);
        var result = new Value[items.Length + 1];
        items.CopyTo(result);
        result[^1] = v;
        return List(result);
    }

    private static Value Chunk(ExecutionContext c, long size, in Value list)
    {
        var items = ListArg(list, "chunk");
        var l = items.Length;
        if (size == 0)
        {
            throw new TemplateFunctionException("runtime error: integer divide by zero");
        }

        var cs = (long)(Math.Floor((double)(l - 1) / size) + 1);
        if (cs < 0)
        {
            throw new TemplateFunctionException($"runtime error: makeslice: len out of range");
        }

        c.CheckCollectionSize(cs);
        var chunks = new Value[cs];
        for (var i = 0; i < cs; i++)
        {
            var clen = size;
            if (i == cs - 1)
            {
                clen = (long)Math.Floor((double)l % size);
                if (clen == 0)
                {
                    clen = size;
                }
            }

            if (clen < 0)
            {
                throw new TemplateFunctionException("runtime error: makeslice: len out of range");
            }

            var chunk = new Value[clen];
            for (var j = 0; j < clen; j++)
            {
                var ix = (i * size) + j;
                if (ix < 0 || ix >= l)
                {
                    throw new TemplateFunctionException($"reflect: slice index out of range");
                }

                chunk[j] = items[(int)ix];
            }

            chunks[i] = List(chunk);
        }

        return Value.List(new GoList(GoType.InterfaceSliceSlice, chunks));
    }

    internal static Value UntilStep(ExecutionContext c, long start, long stop, long step)
    {
        var result = new List<Value>();
        if (stop < start)
        {
            if (step >= 0)
            {
                return Value.List(new GoList(GoType.IntSlice, []));
            }

            c.CheckCollectionSize((start - stop) / -step);
            for (var i = start; i > stop; i += step)
            {
                result.Add(Value.Int(i));
            }
        }
        else
        {
            if (step <= 0)
            {
                return Value.List(new GoList(GoType.IntSlice, []));
            }

            c.CheckCollectionSize((stop - start) / step);
            for (var i = start; i < stop; i += step)
            {
                result.Add(Value.Int(i));
            }
        }

        return Value.List(new GoList(GoType.IntSlice, [.. result]));
    }
}
