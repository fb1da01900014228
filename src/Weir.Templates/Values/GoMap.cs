namespace Weir.Templates.Values;

/// <summary>
/// A Go map with string keys (all that JSON, YAML and Sprig make). Sprig's set/unset/merge change maps in place,
/// as Go does; the sorted key order that printing and range need is cached until the next change.
/// </summary>
public sealed class GoMap
{
    private readonly Dictionary<string, Value> entries;
    private string[]? sortedKeys;

    public GoMap(GoType type, int capacity = 0)
    {
        Type = type;
        entries = new Dictionary<string, Value>(capacity, StringComparer.Ordinal);
    }

    public GoMap(int capacity = 0)
        : this(GoType.InterfaceMap, capacity)
    {
    }

    public GoType Type { get; }

    /// <summary>A typed nil map (nil passed for a map parameter): reads as empty, refuses writes, encodes as JSON null.</summary>
    public bool IsNil { get; private init; }

    public static GoMap Nil(GoType type) => new(type) { IsNil = true };

    public int Count => entries.Count;

    /// <summary>The value a missing key reads as with missingkey=zero (Go's zero value of the element type).</summary>
    public Value ZeroValue => GoValues.Zero(Type.Elem ?? GoType.Interface);

    public bool TryGet(string key, out Value value) => entries.TryGetValue(key, out value);

    public bool ContainsKey(string key) => entries.ContainsKey(key);

    public void Set(string key, Value value)
    {
        if (IsNil)
        {
            throw new TemplateFunctionException("assignment to entry in nil map");
        }

        if (!entries.ContainsKey(key))
        {
            sortedKeys = null;
        }

        entries[key] = value;
    }

    public bool Remove(string key)
    {
        if (entries.Remove(key))
        {
            sortedKeys = null;
            return true;
        }

        return false;
    }

    public IEnumerable<KeyValuePair<string, Value>> Entries => entries;

    /// <summary>Keys in Go's order (byte-wise, as fmtsort and range use).</summary>
    public string[] SortedKeys()
    {
        var keys = sortedKeys;
        if (keys is null)
        {
            keys = new string[entries.Count];
            entries.Keys.CopyTo(keys, 0);
            Array.Sort(keys, GoStringOrder.Instance);
            sortedKeys = keys;
        }

        return keys;
    }
}

/// <summary>Go's string order: byte-wise over UTF-8, which differs from UTF-16 ordinal order only for surrogates.</summary>
public sealed class GoStringOrder : IComparer<string>
{
    public static GoStringOrder Instance { get; } = new();

    public int Compare(string? x, string? y) => CompareStrings(x!, y!);

    public static int CompareStrings(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var ca = a[i];
            var cb = b[i];
            if (ca != cb)
            {
                // Surrogates (U+D800..DFFF) encode code points above U+FFFF, which sort after U+E000..U+FFFF in UTF-8.
                if (ca >= 0xD800 && cb >= 0xD800)
                {
                    return Fix(ca) - Fix(cb);
                }

                return ca - cb;
            }
        }

        return a.Length - b.Length;
    }

    private static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
