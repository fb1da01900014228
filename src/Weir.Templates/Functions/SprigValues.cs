using Weir.Templates.Formatting;
using Weir.Templates.Values;

namespace Weir.Templates.Functions;

/// <summary>The conversions Sprig applies to interface{} arguments (strval, spf13/cast, empty, list reading).</summary>
internal static class SprigValues
{
    /// <summary>Sprig's strval: strings as they are, Stringers through String, everything else as %v.</summary>
    public static string StrVal(in Value v) => v.Ref is string s ? s : GoFmt.Sprint(v);

    /// <summary>Sprig's empty: nil, false, 0, "" and empty collections.</summary>
    public static bool Empty(in Value v) => v.IsNothing || !GoValues.IsTrue(v);

    /// <summary>Go's float64 → int64 conversion as amd64 performs it.</summary>
    public static long FloatToInt64(double d) =>
        double.IsNaN(d) || d >= 9.2233720368547758e18 || d < -9.2233720368547758e18 ? long.MinValue : (long)d;

    /// <summary>cast.ToInt64: numbers convert, strings parse (base prefixes allowed), bools are 0/1, anything else 0.</summary>
    public static long ToInt64(in Value v)
    {
        switch (v.Ref)
        {
            case string s:
                return GoStrconv.TryParseInt(TrimZeroDecimal(s), out var i) ? i : 0;
            case GoType t when ReferenceEquals(t, GoType.Duration):
                return 0;
            case GoType t:
                if (t.IsFloat)
                {
                    return FloatToInt64(v.AsFloat);
                }

                return v.Bits;
            default:
                return 0;
        }
    }

    public static double ToFloat64(in Value v)
    {
        switch (v.Ref)
        {
            case string s:
                return GoStrconv.TryParseFloat(s, out var f) ? f : 0;
            case GoType t when ReferenceEquals(t, GoType.Duration):
                return 0;
            case GoType t:
                if (t.IsFloat)
                {
                    return v.AsFloat;
                }

                if (t.IsUnsigned)
                {
                    return v.RawUInt;
                }

                return v.Bits;
            default:
                return 0;
        }
    }

    private static string TrimZeroDecimal(string s)
    {
        var foundZero = false;
        for (var i = s.Length; i > 0; i--)
        {
            switch (s[i - 1])
            {
                case '.':
                    if (foundZero)
                    {
                        return s[..(i - 1)];
                    }

                    break;
                case '0':
                    foundZero = true;
                    break;
                default:
                    return s;
            }
        }

        return s;
    }

    /// <summary>The reflect kind name Sprig's error messages print.</summary>
    public static string KindName(in Value v) => v.IsNothing ? "invalid" : v.Type!.KindName;

    /// <summary>Reads a slice argument; otherwise fails with Sprig's "Cannot {what} on type {kind}".</summary>
    public static ReadOnlySpan<Value> ListArg(in Value v, string what)
    {
        if (v.Ref is GoList l)
        {
            return l.AsSpan();
        }

        if (v.IsNothing)
        {
            throw new TemplateFunctionException("runtime error: invalid memory address or nil pointer dereference");
        }

        throw new TemplateFunctionException($"Cannot {what} on type {KindName(v)}");
    }

    public static Value List(Value[] items) => Value.List(new GoList(items));

    public static Value Strings(IEnumerable<string> items) => Value.List(GoList.OfStrings(items));

    /// <summary>Sprig's strslice (toStrings, join, sortAlpha): strings of every non-nil element.</summary>
    public static List<string> StrSlice(in Value v)
    {
        var result = new List<string>();
        switch (v.Ref)
        {
            case GoList l:
                foreach (var item in l.AsSpan())
                {
                    if (!item.IsNothing)
                    {
                        result.Add(StrVal(item));
                    }
                }

                break;
            default:
                if (!v.IsNothing)
                {
                    result.Add(StrVal(v));
                }

                break;
        }

        return result;
    }
}
