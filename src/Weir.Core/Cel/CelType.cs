namespace Weir.Core.Cel;

/// <summary>
/// The static type of a CEL value, for checking an expression against declared variables before it runs (as
/// Kubernetes checks a CRD's validation rules against its schema): the primitive types, lists, maps, objects with
/// declared fields, optionals, and <see cref="Dyn"/> for anything only known at run time.
/// </summary>
public abstract record CelType
{
    public static CelType Dyn { get; } = new Primitive("dyn");

    public static CelType Bool { get; } = new Primitive("bool");

    public static CelType Int { get; } = new Primitive("int");

    public static CelType Uint { get; } = new Primitive("uint");

    public static CelType Double { get; } = new Primitive("double");

    public static CelType String { get; } = new Primitive("string");

    public static CelType Bytes { get; } = new Primitive("bytes");

    public static CelType Null { get; } = new Primitive("null_type");

    public static CelType Duration { get; } = new Primitive("google.protobuf.Duration");

    public static CelType Timestamp { get; } = new Primitive("google.protobuf.Timestamp");

    public static CelType Type { get; } = new Primitive("type");

    public static CelType List(CelType element) => new ListType(element);

    public static CelType Map(CelType key, CelType value) => new MapType(key, value);

    public static CelType Object(IReadOnlyList<CelField> fields) => new ObjectType(fields);

    public static CelType Optional(CelType value) => new OptionalType(value);

    public bool IsDyn => ReferenceEquals(this, Dyn);

    internal sealed record Primitive(string Name) : CelType
    {
        public override string ToString() => Name;
    }

    internal sealed record ListType(CelType Element) : CelType
    {
        public override string ToString() => $"list({Element})";
    }

    internal sealed record MapType(CelType Key, CelType Value) : CelType
    {
        public override string ToString() => $"map({Key}, {Value})";
    }

    /// <summary>An object with declared fields; selecting any other field is an error.</summary>
    internal sealed record ObjectType(IReadOnlyList<CelField> Fields) : CelType
    {
        private readonly Dictionary<string, CelField> _byName = Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);

        public CelField? Field(string name) => _byName.GetValueOrDefault(name);

        public override string ToString() => "object";
    }

    internal sealed record OptionalType(CelType Value) : CelType
    {
        public override string ToString() => $"optional_type({Value})";
    }
}

/// <summary>
/// A declared field of an object type: <see cref="Name"/> is how expressions select it, <see cref="JsonName"/> the
/// property it reads from JSON (they differ where a property name is not a CEL identifier).
/// </summary>
public sealed record CelField(string Name, string JsonName, CelType Type);
