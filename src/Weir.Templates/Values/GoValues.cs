using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Templates.Values;

/// <summary>How JSON numbers become Go values.</summary>
public enum NumberMode
{
    /// <summary>Every number is float64 (encoding/json's default; what Helm values get).</summary>
    Float,

    /// <summary>Whole numbers become Go int, others float64 (what a Go literal or YAML source gives).</summary>
    Int,
}

/// <summary>Go's value rules in one place: zero values, truth, equality, ordering, and JSON input.</summary>
public static class GoValues
{
    /// <summary>Go's zero value of a type.</summary>
    public static Value Zero(GoType type) => type.Kind switch
    {
        GoKind.Interface or GoKind.Map or GoKind.Slice or GoKind.Pointer or GoKind.Func => Value.Nil,
        GoKind.String => Value.EmptyString,
        GoKind.Bool => Value.False,
        GoKind.Float32 or GoKind.Float64 => new Value(type, 0),
        GoKind.Complex128 => Value.Complex(0, 0),
        GoKind.Invalid or GoKind.Struct => Value.Nil,
        _ => new Value(type, 0),
    };

    /// <summary>Go's template truth (text/template's isTrue after indirectInterface); false for "no value".</summary>
    public static bool IsTrue(in Value v, out bool ok)
    {
        ok = true;
        switch (v.Ref)
        {
            case null:
                return false;
            case string s:
                return s.Length > 0;
            case GoType t:
                return t.Kind switch
                {
                    GoKind.Float32 or GoKind.Float64 => v.AsFloat != 0,
                    _ => v.Bits != 0,
                };
            case GoMap m:
                return m.Count > 0;
            case GoList l:
                return l.Count > 0;
            case GoObject:
                return true;
            case GoComplex c:
                return c.Real != 0 || c.Imaginary != 0;
            default:
                return false; // nil interface
        }
    }

    public static bool IsTrue(in Value v) => IsTrue(v, out _);

    /// <summary>The length Go's len reports (bytes for strings).</summary>
    public static int Length(in Value v) => v.Ref switch
    {
        string s => Utf8.ByteCount(s),
        GoMap m => m.Count,
        GoList l => l.Count,
        _ => throw new TemplateFunctionException("len of type " + (v.Type?.Name ?? "<nil>")),
    };

    internal enum BasicKind
    {
        Invalid,
        Bool,
        Complex,
        Int,
        Float,
        String,
        Uint,
    }

    internal static BasicKind KindOf(in Value v)
    {
        switch (v.Ref)
        {
            case string:
                return BasicKind.String;
            case GoType t:
                if (t.IsSigned)
                {
                    return BasicKind.Int;
                }

                if (t.IsUnsigned)
                {
                    return BasicKind.Uint;
                }

                if (t.IsFloat)
                {
                    return BasicKind.Float;
                }

                return t.Kind == GoKind.Bool ? BasicKind.Bool : BasicKind.Invalid;
            case GoComplex:
                return BasicKind.Complex;
            default:
                return BasicKind.Invalid;
        }
    }

    /// <summary>text/template's eq for two arguments (already past indirectInterface).</summary>
    public static bool Equal(in Value a0, in Value b0)
    {
        var a = a0.Indirect;
        var b = b0.Indirect;
        var k1 = KindOf(a);
        var k2 = KindOf(b);
        if (k1 != k2)
        {
            if (k1 == BasicKind.Int && k2 == BasicKind.Uint)
            {
                return a.Bits >= 0 && unchecked((ulong)a.Bits) == b.RawUInt;
            }

            if (k1 == BasicKind.Uint && k2 == BasicKind.Int)
            {
                return b.Bits >= 0 && a.RawUInt == unchecked((ulong)b.Bits);
            }

            if (a.IsValid && b.IsValid)
            {
                throw new TemplateFunctionException("incompatible types for comparison");
            }

            return false;
        }

        switch (k1)
        {
            case BasicKind.Bool:
            case BasicKind.Int:
            case BasicKind.Uint:
                return a.Bits == b.Bits;
            case BasicKind.Float:
                return a.AsFloat == b.AsFloat;
            case BasicKind.String:
                return string.Equals(a.AsString, b.AsString, StringComparison.Ordinal);
            case BasicKind.Complex:
                return a.AsComplex.Real == b.AsComplex.Real && a.AsComplex.Imaginary == b.AsComplex.Imaginary;
        }

        var ka = a.Kind;
        var kb = b.Kind;
        if (ka != kb && ka != GoKind.Invalid && kb != GoKind.Invalid)
        {
            throw new TemplateFunctionException(
                $"non-comparable types {Formatting.GoFmt.Sprint(a)}: {a.Type}, {b.Type}: {Formatting.GoFmt.Sprint(b)}");
        }

        if (!a.IsValid || !b.IsValid)
        {
            return a.IsValid == b.IsValid;
        }

        if (!IsComparable(b))
        {
            throw new TemplateFunctionException($"non-comparable type {Formatting.GoFmt.Sprint(b)}: {b.Type}");
        }

        return ShallowEquals(a, b);
    }

    private static bool IsComparable(in Value v) => v.Ref switch
    {
        GoMap or GoList => false,
        GoStruct s => s.Fields.All(f => !f.Value.IsValid || IsComparable(f.Value)),
        _ => true,
    };

    /// <summary>Go's == on two comparable values of the same type.</summary>
    public static bool ShallowEquals(in Value a, in Value b)
    {
        if (a.Type != b.Type)
        {
            return a.IsNothing && b.IsNothing;
        }

        return a.Ref switch
        {
            string s => s == b.AsString,
            GoType t => t.IsFloat ? a.AsFloat == b.AsFloat : a.Bits == b.Bits,
            GoObject o => o.GoEquals(b.AsObject),
            GoComplex c => c == b.AsComplex,
            _ => ReferenceEquals(a.Ref, b.Ref),
        };
    }

    /// <summary>text/template's lt.</summary>
    public static bool Less(in Value a0, in Value b0)
    {
        var a = a0.Indirect;
        var b = b0.Indirect;
        var k1 = KindOf(a);
        if (k1 == BasicKind.Invalid)
        {
            throw new TemplateFunctionException("invalid type for comparison");
        }

        var k2 = KindOf(b);
        if (k2 == BasicKind.Invalid)
        {
            throw new TemplateFunctionException("invalid type for comparison");
        }

        if (k1 != k2)
        {
            if (k1 == BasicKind.Int && k2 == BasicKind.Uint)
            {
                return a.Bits < 0 || unchecked((ulong)a.Bits) < b.RawUInt;
            }

            if (k1 == BasicKind.Uint && k2 == BasicKind.Int)
            {
                return b.Bits >= 0 && a.RawUInt < unchecked((ulong)b.Bits);
            }

            throw new TemplateFunctionException("incompatible types for comparison");
        }

        return k1 switch
        {
            BasicKind.Bool or BasicKind.Complex => throw new TemplateFunctionException("invalid type for comparison"),
            BasicKind.Float => a.AsFloat < b.AsFloat,
            BasicKind.Int => a.Bits < b.Bits,
            BasicKind.String => GoStringOrder.CompareStrings(a.AsString, b.AsString) < 0,
            _ => a.RawUInt < b.RawUInt,
        };
    }

    /// <summary>reflect.DeepEqual over template values.</summary>
    public static bool DeepEqual(in Value a, in Value b)
    {
        if (!a.IsValid || !b.IsValid)
        {
            return a.IsValid == b.IsValid;
        }

        if (a.IsNil || b.IsNil)
        {
            return a.IsNil && b.IsNil;
        }

        if (a.Type != b.Type)
        {
            return false;
        }

        switch (a.Ref)
        {
            case GoMap m:
                var n = b.AsMap;
                if (m.Count != n.Count)
                {
                    return false;
                }

                foreach (var (k, v) in m.Entries)
                {
                    if (!n.TryGet(k, out var w) || !DeepEqual(v, w))
                    {
                        return false;
                    }
                }

                return true;
            case GoList l:
                var r = b.AsList;
                if (l.Count != r.Count)
                {
                    return false;
                }

                for (var i = 0; i < l.Count; i++)
                {
                    if (!DeepEqual(l[i], r[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return ShallowEquals(a, b);
        }
    }

    /// <summary>Converts decoded JSON into Go values: objects become map[string]interface{}, arrays []interface{}.</summary>
    public static Value FromJson(JsonNode? node, NumberMode numbers = NumberMode.Float)
    {
        switch (node)
        {
            case null:
                return Value.Nil;
            case JsonObject obj:
                var map = new GoMap(obj.Count);
                foreach (var (k, v) in obj)
                {
                    map.Set(k, FromJson(v, numbers));
                }

                return Value.Map(map);
            case JsonArray arr:
                var items = new Value[arr.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = FromJson(arr[i], numbers);
                }

                return Value.List(new GoList(items));
            default:
                var element = node.AsValue().TryGetValue<JsonElement>(out var e) ? e : JsonSerializer.SerializeToElement(node);
                return FromJson(element, numbers);
        }
    }

    public static Value FromJson(JsonElement element, NumberMode numbers = NumberMode.Float)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new GoMap();
                foreach (var p in element.EnumerateObject())
                {
                    map.Set(p.Name, FromJson(p.Value, numbers));
                }

                return Value.Map(map);
            case JsonValueKind.Array:
                var items = new Value[element.GetArrayLength()];
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    items[i++] = FromJson(item, numbers);
                }

                return Value.List(new GoList(items));
            case JsonValueKind.String:
                return Value.String(element.GetString()!);
            case JsonValueKind.Number:
                var d = element.GetDouble();
                if (numbers == NumberMode.Int && d == Math.Floor(d) && d >= long.MinValue && d < 9.2233720368547758e18)
                {
                    return Value.Int((long)d);
                }

                return Value.Float(d);
            case JsonValueKind.True:
                return Value.True;
            case JsonValueKind.False:
                return Value.False;
            default:
                return Value.Nil;
        }
    }

    /// <summary>Parses JSON text into Go values.</summary>
    public static Value FromJsonText(string json, NumberMode numbers = NumberMode.Float)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 10_000 });
        return FromJson(doc.RootElement, numbers);
    }

    /// <summary>A copy that shares nothing mutable (Sprig's deepCopy).</summary>
    public static Value DeepCopy(in Value v)
    {
        switch (v.Ref)
        {
            case GoMap { IsNil: true }:
                return v;
            case GoMap m:
                var copy = new GoMap(m.Type, m.Count);
                foreach (var (k, e) in m.Entries)
                {
                    copy.Set(k, DeepCopy(e));
                }

                return Value.Map(copy);
            case GoList l:
                var items = new Value[l.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = DeepCopy(l[i]);
                }

                return Value.List(new GoList(l.Type, items));
            default:
                return v;
        }
    }
}
