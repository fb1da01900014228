using System.Runtime.CompilerServices;

namespace Weir.Templates.Values;

/// <summary>
/// One Go value as a template sees it, in 16 bytes and without boxing numbers. Three states besides concrete
/// values matter to Go's rules: <see cref="Invalid"/> (no value at all: a missing map key, printed
/// <c>&lt;no value&gt;</c>), <see cref="Nil"/> (a nil <c>interface{}</c>, e.g. a JSON null inside a map) and a
/// concrete value of some <see cref="GoType"/>.
/// </summary>
public readonly struct Value
{
    // Ref is null (invalid), NilMarker (nil interface), a GoType (scalar: Bits holds the payload), a string,
    // a GoList, a GoMap, a GoObject or a GoComplex.
    internal readonly object? Ref;
    internal readonly long Bits;

    internal Value(object? reference, long bits)
    {
        Ref = reference;
        Bits = bits;
    }

    public static Value Invalid => default;

    public static Value Nil => new(NilMarker.Instance, 0);

    public static Value True => new(GoType.Bool, 1);

    public static Value False => new(GoType.Bool, 0);

    public static Value EmptyString => new("", 0);

    public bool IsValid => Ref is not null;

    /// <summary>A nil interface value (valid, but holding nothing).</summary>
    public bool IsNil => ReferenceEquals(Ref, NilMarker.Instance);

    /// <summary>Invalid or nil: what Go's indirectInterface turns into "no value".</summary>
    public bool IsNothing => Ref is null || ReferenceEquals(Ref, NilMarker.Instance);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value Bool(bool b) => new(GoType.Bool, b ? 1 : 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value Int(long i) => new(GoType.Int, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value Int64(long i) => new(GoType.Int64, i);

    /// <summary>An integer or unsigned value of the given integer type (unsigned payloads are stored as their bits).</summary>
    public static Value Integer(long bits, GoType type) => new(type, bits);

    public static Value UInt64(ulong u) => new(GoType.Uint64, unchecked((long)u));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value Float(double d) => new(GoType.Float64, BitConverter.DoubleToInt64Bits(d));

    public static Value Float32(float f) => new(GoType.Float32, BitConverter.DoubleToInt64Bits(f));

    public static Value Complex(double re, double im) => new(new GoComplex(re, im), 0);

    public static Value Duration(long nanos) => new(GoType.Duration, nanos);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value String(string s) => new(s, 0);

    public static Value List(GoList list) => new(list, 0);

    public static Value Map(GoMap map) => new(map, 0);

    public static Value Object(GoObject obj) => new(obj, 0);

    /// <summary>The concrete value's type; <see cref="GoType.Interface"/> for nil, null for invalid.</summary>
    public GoType? Type => Ref switch
    {
        null => null,
        string => GoType.String,
        GoType t => t,
        GoMap m => m.Type,
        GoList l => l.Type,
        GoObject o => o.Type,
        GoComplex => GoType.Complex128,
        _ => GoType.Interface,
    };

    public GoKind Kind => Ref switch
    {
        null => GoKind.Invalid,
        string => GoKind.String,
        GoType t => t.Kind,
        GoMap => GoKind.Map,
        GoList => GoKind.Slice,
        GoObject o => o.Type.Kind,
        GoComplex => GoKind.Complex128,
        _ => GoKind.Interface,
    };

    public bool IsString => Ref is string;

    public bool IsMap => Ref is GoMap;

    public bool IsList => Ref is GoList;

    public string AsString => (string)Ref!;

    public GoMap AsMap => (GoMap)Ref!;

    public GoList AsList => (GoList)Ref!;

    public GoObject AsObject => (GoObject)Ref!;

    public GoComplex AsComplex => (GoComplex)Ref!;

    public bool AsBool => Bits != 0;

    /// <summary>The raw integer payload (for unsigned types, the bits of the uint64).</summary>
    public long RawInt => Bits;

    public ulong RawUInt => unchecked((ulong)Bits);

    public double AsFloat => BitConverter.Int64BitsToDouble(Bits);

    public bool TryGetString(out string s)
    {
        if (Ref is string str)
        {
            s = str;
            return true;
        }

        s = "";
        return false;
    }

    /// <summary>The value with a nil interface turned into invalid (Go's indirectInterface).</summary>
    public Value Indirect => IsNil ? default : this;

    public override string ToString() => Formatting.GoFmt.Sprint(this);
}

/// <summary>The nil interface marker.</summary>
internal sealed class NilMarker
{
    public static readonly NilMarker Instance = new();
}

/// <summary>A complex128 (only ever made by a complex constant in a template).</summary>
public sealed record GoComplex(double Real, double Imaginary);
