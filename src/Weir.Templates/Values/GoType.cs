namespace Weir.Templates.Values;

/// <summary>
/// A Go type as templates observe it: its name as <c>reflect.Type.String()</c> prints it, its kind, element
/// and key types, and the methods a template may call on it.
/// </summary>
public sealed class GoType
{
    private Dictionary<string, GoMethod>? methods;

    public GoType(string name, GoKind kind, GoType? elem = null, GoType? key = null)
    {
        Name = name;
        Kind = kind;
        Elem = elem;
        Key = key;
    }

    public string Name { get; }

    public GoKind Kind { get; }

    public GoType? Elem { get; }

    public GoType? Key { get; }

    /// <summary>The name kindOf prints (reflect.Kind's String).</summary>
    public string KindName => Kind switch
    {
        GoKind.Invalid => "invalid",
        GoKind.Complex128 => "complex128",
        GoKind.Pointer => "ptr",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>When set, fmt prints values of this type through this String method (fmt.Stringer).</summary>
    public Func<Value, string>? Stringer { get; init; }

    public bool IsInteger => Kind is >= GoKind.Int and <= GoKind.Uintptr;

    public bool IsSigned => Kind is >= GoKind.Int and <= GoKind.Int64;

    public bool IsUnsigned => Kind is >= GoKind.Uint and <= GoKind.Uintptr;

    public bool IsFloat => Kind is GoKind.Float32 or GoKind.Float64;

    /// <summary>Whether nil is a value of this type (Go's canBeNil).</summary>
    public bool CanBeNil => Kind is GoKind.Interface or GoKind.Map or GoKind.Slice or GoKind.Pointer or GoKind.Func;

    public bool HasMethods => methods is { Count: > 0 };

    public GoType WithMethod(string name, GoMethod method)
    {
        methods ??= new Dictionary<string, GoMethod>(StringComparer.Ordinal);
        methods[name] = method;
        return this;
    }

    public GoMethod? FindMethod(string name) =>
        methods is not null && methods.TryGetValue(name, out var m) ? m : null;

    public override string ToString() => Name;

    public static readonly GoType Interface = new("interface {}", GoKind.Interface);
    public static readonly GoType Bool = new("bool", GoKind.Bool);
    public static readonly GoType Int = new("int", GoKind.Int);
    public static readonly GoType Int8 = new("int8", GoKind.Int8);
    public static readonly GoType Int16 = new("int16", GoKind.Int16);
    public static readonly GoType Int32 = new("int32", GoKind.Int32);
    public static readonly GoType Int64 = new("int64", GoKind.Int64);
    public static readonly GoType Uint = new("uint", GoKind.Uint);
    public static readonly GoType Uint8 = new("uint8", GoKind.Uint8);
    public static readonly GoType Uint16 = new("uint16", GoKind.Uint16);
    public static readonly GoType Uint32 = new("uint32", GoKind.Uint32);
    public static readonly GoType Uint64 = new("uint64", GoKind.Uint64);
    public static readonly GoType Float32 = new("float32", GoKind.Float32);
    public static readonly GoType Float64 = new("float64", GoKind.Float64);
    public static readonly GoType Complex128 = new("complex128", GoKind.Complex128);
    public static readonly GoType String = new("string", GoKind.String);
    public static readonly GoType InterfaceSlice = new("[]interface {}", GoKind.Slice, Interface);
    public static readonly GoType StringSlice = new("[]string", GoKind.Slice, String);
    public static readonly GoType IntSlice = new("[]int", GoKind.Slice, Int);
    public static readonly GoType ByteSlice = new("[]uint8", GoKind.Slice, Uint8);
    public static readonly GoType InterfaceSliceSlice = new("[][]interface {}", GoKind.Slice, InterfaceSlice);
    public static readonly GoType InterfaceMap = new("map[string]interface {}", GoKind.Map, Interface, String);
    public static readonly GoType StringMap = new("map[string]string", GoKind.Map, String, String);
    public static readonly GoType Duration = new("time.Duration", GoKind.Int64)
    {
        Stringer = v => Formatting.GoDuration.Format(v.RawInt),
    };

    /// <summary>reflect.Value, the parameter type of Go's builtin comparison and index functions: no conversion.</summary>
    public static readonly GoType ReflectValue = new("reflect.Value", GoKind.Struct);
}

/// <summary>A method of a Go type: the receiver comes first in the arguments.</summary>
public sealed class GoMethod
{
    public GoMethod(Functions.TemplateFunction function) => Function = function;

    public Functions.TemplateFunction Function { get; }
}
