namespace Weir.Templates.Values;

/// <summary>A Go slice. Template functions never change a slice in place, so a list can be shared freely.</summary>
public sealed class GoList
{
    private readonly Value[] items;

    public GoList(GoType type, Value[] items)
    {
        Type = type;
        this.items = items;
    }

    public GoList(Value[] items)
        : this(GoType.InterfaceSlice, items)
    {
    }

    public static GoList Empty { get; } = new(GoType.InterfaceSlice, []);

    public GoType Type { get; }

    public int Count => items.Length;

    public Value this[int index] => items[index];

    public ReadOnlySpan<Value> AsSpan() => items;

    internal Value[] Items => items;

    public static GoList OfStrings(IEnumerable<string> strings) =>
        new(GoType.StringSlice, strings.Select(Value.String).ToArray());

    public static GoList OfStrings(string[] strings)
    {
        var values = new Value[strings.Length];
        for (var i = 0; i < strings.Length; i++)
        {
            values[i] = Value.String(strings[i]);
        }

        return new GoList(GoType.StringSlice, values);
    }
}
