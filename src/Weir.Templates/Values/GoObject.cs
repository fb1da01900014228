namespace Weir.Templates.Values;

/// <summary>
/// A Go struct (or pointer to one) that the host hands to templates: time.Time, *semver.Version, Helm's
/// .Release and .Chart. Fields are read by name; methods come from <see cref="GoType"/>.
/// </summary>
public abstract class GoObject
{
    protected GoObject(GoType type) => Type = type;

    public GoType Type { get; }

    /// <summary>An exported field by name.</summary>
    public abstract bool TryGetField(string name, out Value value);

    /// <summary>The fields in declaration order, for fmt's <c>{a b}</c> printing and for JSON.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, Value>> Fields { get; }

    /// <summary>Go's == for comparable structs.</summary>
    public virtual bool GoEquals(GoObject other) => ReferenceEquals(this, other);
}

/// <summary>A plain struct with named fields.</summary>
public sealed class GoStruct : GoObject
{
    private readonly KeyValuePair<string, Value>[] fields;

    public GoStruct(GoType type, params KeyValuePair<string, Value>[] fields)
        : base(type) => this.fields = fields;

    public override IReadOnlyList<KeyValuePair<string, Value>> Fields => fields;

    public override bool TryGetField(string name, out Value value)
    {
        foreach (var f in fields)
        {
            if (f.Key == name)
            {
                value = f.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public override bool GoEquals(GoObject other)
    {
        if (other is not GoStruct s || s.Type != Type || s.fields.Length != fields.Length)
        {
            return false;
        }

        for (var i = 0; i < fields.Length; i++)
        {
            if (!GoValues.ShallowEquals(fields[i].Value, s.fields[i].Value))
            {
                return false;
            }
        }

        return true;
    }
}
