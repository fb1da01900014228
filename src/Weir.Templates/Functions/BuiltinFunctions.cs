using System.Text;
using Weir.Templates.Formatting;
using Weir.Templates.Values;
using static Weir.Templates.Functions.FunctionBuilder;

namespace Weir.Templates.Functions;

/// <summary>Go's predefined template functions: and, or, not, len, index, slice, print*, html, js, urlquery, comparisons, call.</summary>
internal static class BuiltinFunctions
{
    public static IReadOnlyList<TemplateFunction> Create()
    {
        var b = new FunctionBuilder();
        b.Raw(new TemplateFunction("and", [Reflect, Reflect], static (_, a) => a[0], variadic: true, SpecialForm.And));
        b.Raw(new TemplateFunction("or", [Reflect, Reflect], static (_, a) => a[0], variadic: true, SpecialForm.Or));
        b.Add("not", [Reflect], static (_, a) => Value.Bool(!GoValues.IsTrue(a[0].Indirect)));
        b.Add("len", [Reflect], static (_, a) => Value.Int(Length(a[0])));
        b.Variadic("index", [Reflect, Reflect], static (_, a) => Index(a[0], a[1..]));
        b.Variadic("slice", [Reflect, Reflect], static (_, a) => Slice(a[0], a[1..]));
        b.Variadic("print", [Any], static (_, a) => Value.String(GoFmt.Sprint(a)));
        b.Variadic("printf", [Str, Any], static (_, a) =>
        {
            var sb = new StringBuilder();
            GoFmt.Sprintf(sb, a[0].AsString, a[1..]);
            return Value.String(sb.ToString());
        });
        b.Variadic("println", [Any], static (_, a) =>
        {
            var sb = new StringBuilder();
            GoFmt.Sprintln(sb, a);
            return Value.String(sb.ToString());
        });
        b.Variadic("html", [Any], static (_, a) => Value.String(HtmlEscape(EvalArgs(a))));
        b.Variadic("js", [Any], static (_, a) => Value.String(JsEscape(EvalArgs(a))));
        b.Variadic("urlquery", [Any], static (_, a) => Value.String(QueryEscape(EvalArgs(a))));
        b.Variadic("eq", [Reflect, Reflect], static (_, a) =>
        {
            if (a.Length < 2)
            {
                throw new TemplateFunctionException("missing argument for comparison");
            }

            for (var i = 1; i < a.Length; i++)
            {
                if (GoValues.Equal(a[0], a[i]))
                {
                    return Value.True;
                }
            }

            return Value.False;
        });
        b.Add("ne", [Reflect, Reflect], static (_, a) => Value.Bool(!GoValues.Equal(a[0], a[1])));
        b.Add("lt", [Reflect, Reflect], static (_, a) => Value.Bool(GoValues.Less(a[0], a[1])));
        b.Add("le", [Reflect, Reflect], static (_, a) => Value.Bool(GoValues.Less(a[0], a[1]) || GoValues.Equal(a[0], a[1])));
        b.Add("gt", [Reflect, Reflect], static (_, a) =>
        {
            var lessOrEqual = GoValues.Less(a[0], a[1]) || GoValues.Equal(a[0], a[1]);
            return Value.Bool(!lessOrEqual);
        });
        b.Add("ge", [Reflect, Reflect], static (_, a) => Value.Bool(!GoValues.Less(a[0], a[1])));
        b.Variadic("call", [Reflect, Reflect], static (_, a) =>
        {
            var fn = a[0].Indirect;
            if (!fn.IsValid)
            {
                throw new TemplateFunctionException("call of nil");
            }

            throw new TemplateFunctionException("non-function of type " + fn.Type!.Name);
        });
        return b.Functions;
    }

    private static int Length(in Value v)
    {
        if (v.IsNil)
        {
            throw new TemplateFunctionException("len of nil pointer");
        }

        if (!v.IsValid)
        {
            throw new TemplateFunctionException("reflect: call of reflect.Value.Type on zero Value");
        }

        return GoValues.Length(v);
    }

    private static int IndexArg(in Value index, int cap)
    {
        long x;
        var t = index.Type;
        if (index.IsNothing)
        {
            throw new TemplateFunctionException("cannot index slice/array with nil");
        }

        if (t!.IsSigned)
        {
            x = index.Bits;
        }
        else if (t.IsUnsigned)
        {
            x = index.Bits;
        }
        else
        {
            throw new TemplateFunctionException("cannot index slice/array with type " + t.Name);
        }

        if (x < 0 || x > cap)
        {
            throw new TemplateFunctionException($"index out of range: {x}");
        }

        return (int)x;
    }

    internal static Value Index(Value item, ReadOnlySpan<Value> indexes)
    {
        item = item.Indirect;
        if (!item.IsValid)
        {
            throw new TemplateFunctionException("index of untyped nil");
        }

        foreach (var raw in indexes)
        {
            var index = raw.Indirect;
            if (item.IsNil)
            {
                throw new TemplateFunctionException("index of nil pointer");
            }

            switch (item.Ref)
            {
                case GoList list:
                    var x = IndexArg(index, list.Count);
                    if (x >= list.Count)
                    {
                        throw new TemplateFunctionException($"reflect: slice index out of range");
                    }

                    item = list[x];
                    break;
                case string s:
                    var len = Utf8.ByteCount(s);
                    var bi = IndexArg(index, len);
                    if (bi >= len)
                    {
                        throw new TemplateFunctionException("reflect: string index out of range");
                    }

                    item = Value.Integer(Utf8.ByteAt(s, bi), GoType.Uint8);
                    break;
                case GoMap map:
                    if (!index.IsValid)
                    {
                        throw new TemplateFunctionException("value is nil; should be of type string");
                    }

                    if (index.Ref is not string key)
                    {
                        throw new TemplateFunctionException($"value has type {index.Type!.Name}; should be string");
                    }

                    item = map.TryGet(key, out var found) ? found : map.ZeroValue;
                    break;
                default:
                    throw new TemplateFunctionException("can't index item of type " + item.Type!.Name);
            }
        }

        return item;
    }

    private static Value Slice(Value item, ReadOnlySpan<Value> indexes)
    {
        item = item.Indirect;
        if (!item.IsValid)
        {
            throw new TemplateFunctionException("slice of untyped nil");
        }

        if (indexes.Length > 3)
        {
            throw new TemplateFunctionException($"too many slice indexes: {indexes.Length}");
        }

        int cap;
        int len;
        switch (item.Ref)
        {
            case string s:
                if (indexes.Length == 3)
                {
                    throw new TemplateFunctionException("cannot 3-index slice a string");
                }

                cap = len = Utf8.ByteCount(s);
                break;
            case GoList l:
                cap = len = l.Count;
                break;
            default:
                throw new TemplateFunctionException("can't slice item of type " + item.Type!.Name);
        }

        Span<int> idx = [0, len, 0];
        for (var i = 0; i < indexes.Length; i++)
        {
            idx[i] = IndexArg(indexes[i], cap);
        }

        if (idx[0] > idx[1])
        {
            throw new TemplateFunctionException($"invalid slice index: {idx[0]} > {idx[1]}");
        }

        if (indexes.Length == 3 && idx[1] > idx[2])
        {
            throw new TemplateFunctionException($"invalid slice index: {idx[1]} > {idx[2]}");
        }

        if (item.Ref is string str)
        {
            return Value.String(Utf8.Slice(str, idx[0], idx[1]));
        }

        var list = item.AsList;
        return Value.List(new GoList(list.Type, list.AsSpan()[idx[0]..idx[1]].ToArray()));
    }

    /// <summary>text/template's evalArgs: a lone string as is, otherwise fmt.Sprint with "no value" for nils.</summary>
    internal static string EvalArgs(ReadOnlySpan<Value> args)
    {
        if (args.Length == 1 && args[0].Ref is string s)
        {
            return s;
        }

        var copy = new Value[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            copy[i] = args[i].IsNothing ? Value.String("<no value>") : args[i];
        }

        return GoFmt.Sprint(copy);
    }

    internal static string HtmlEscape(string s)
    {
        if (s.AsSpan().IndexOfAny("'\"&<>\0") < 0)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\0':
                    sb.Append('\uFFFD');
                    break;
                case '"':
                    sb.Append("&#34;");
                    break;
                case '\'':
                    sb.Append("&#39;");
                    break;
                case '&':
                    sb.Append("&amp;");
                    break;
                case '<':
                    sb.Append("&lt;");
                    break;
                case '>':
                    sb.Append("&gt;");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }

    internal static string JsEscape(string s)
    {
        var sb = new StringBuilder(s.Length + 16);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '\\':
                    sb.Append(@"\\");
                    continue;
                case '\'':
                    sb.Append(@"\'");
                    continue;
                case '"':
                    sb.Append("\\\"");
                    continue;
                case '<':
                    sb.Append(@"\u003C");
                    continue;
                case '>':
                    sb.Append(@"\u003E");
                    continue;
                case '&':
                    sb.Append(@"\u0026");
                    continue;
                case '=':
                    sb.Append(@"\u003D");
                    continue;
            }

            if (c < ' ')
            {
                sb.Append(@"\u00").Append("0123456789ABCDEF"[c >> 4]).Append("0123456789ABCDEF"[c & 0xF]);
                continue;
            }

            if (c < 0x80)
            {
                sb.Append(c);
                continue;
            }

            int r = c;
            var width = 1;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                r = char.ConvertToUtf32(c, s[i + 1]);
                width = 2;
            }

            // A byte that is not UTF-8 decodes as U+FFFD, which is printable: Go copies the byte.
            if (GoQuote.IsPrint(r) || Utf8.IsRawByte(s, i, out _))
            {
                sb.Append(s, i, width);
            }
            else
            {
                sb.Append("\\u").Append(r.ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }

            i += width - 1;
        }

        return sb.ToString();
    }

    /// <summary>url.QueryEscape.</summary>
    internal static string QueryEscape(string s) => UrlEscape(s, query: true);

    internal static string UrlEscape(string s, bool query)
    {
        var bytes = Utf8.Bytes(s);
        var sb = new StringBuilder(bytes.Length);
        foreach (var c in bytes)
        {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                sb.Append((char)c);
            }
            else if (c == ' ' && query)
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append("0123456789ABCDEF"[c >> 4]).Append("0123456789ABCDEF"[c & 0xF]);
            }
        }

        return sb.ToString();
    }
}
