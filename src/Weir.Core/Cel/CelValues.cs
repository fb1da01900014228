using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Core.Cel;

/// <summary>An optional value (<c>a.?b</c>, <c>optional.of(x)</c>).</summary>
internal sealed record CelOptional(bool HasValue, object? Value)
{
    public static CelOptional None { get; } = new(false, null);
}

/// <summary>A type as a value: what <c>type(x)</c> returns and what the identifiers <c>int</c>, <c>string</c>… denote.</summary>
internal sealed record CelTypeValue(string Name)
{
    public static readonly IReadOnlySet<string> Names =
        new HashSet<string>(["bool", "int", "uint", "double", "string", "bytes", "list", "map", "null_type", "type"]);
}

/// <summary>
/// CEL values as CLR objects: null, bool, long (int), ulong (uint), double, string, lists
/// (<see cref="IReadOnlyList{T}"/>), maps (<see cref="IReadOnlyDictionary{TKey,TValue}"/> keyed by string, long,
/// ulong or bool), timestamps (<see cref="DateTimeOffset"/>) and durations (<see cref="TimeSpan"/>). JSON converts as
/// Kubernetes' unstructured objects do: integral numbers become int.
/// </summary>
internal static class CelValues
{
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => (object)p.Key, p => FromJson(p.Value)),
        JsonArray array => array.Select(FromJson).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => value.TryGetValue<long>(out var l) ? (object)l : value.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };

    /// <summary>
    /// Converts JSON to the value of a declared type, as Kubernetes converts an object for its schema: an object
    /// keeps only its declared fields (under their CEL names), <c>number</c> is always double, date-time and
    /// duration strings become timestamps and durations.
    /// </summary>
    public static object? FromJson(JsonNode? node, CelType type) => (node, type) switch
    {
        (null, _) => null,
        (JsonObject obj, CelType.ObjectType objectType) => ObjectFromJson(obj, objectType),
        (JsonObject obj, CelType.MapType map) => obj.ToDictionary(p => (object)p.Key, p => FromJson(p.Value, map.Value)),
        (JsonArray array, CelType.ListType list) => array.Select(item => FromJson(item, list.Element)).ToList(),
        (JsonValue value, _) when type == CelType.Double && value.GetValueKind() == JsonValueKind.Number => value.GetValue<double>(),
        (JsonValue value, _) when type == CelType.Timestamp && value.GetValueKind() == JsonValueKind.String =>
            TryTimestamp(value.GetValue<string>()),
        (JsonValue value, _) when type == CelType.Duration && value.GetValueKind() == JsonValueKind.String =>
            CelTime.TryParseDuration(value.GetValue<string>(), out var duration) ? duration : value.GetValue<string>(),
        _ => FromJson(node),
    };

    private static Dictionary<object, object?> ObjectFromJson(JsonObject obj, CelType.ObjectType type)
    {
        var result = new Dictionary<object, object?>();
        foreach (var field in type.Fields)
        {
            if (obj.TryGetPropertyValue(field.JsonName, out var child))
            {
                result[field.Name] = FromJson(child, field.Type);
            }
        }

        return result;
    }

    private static object TryTimestamp(string text)
    {
        try
        {
            return CelTime.ParseTimestamp(text);
        }
        catch (CelException)
        {
            return text;
        }
    }

    public static string TypeName(object? value) => value switch
    {
        null => "null_type",
        bool => "bool",
        long => "int",
        ulong => "uint",
        double => "double",
        string => "string",
        IReadOnlyList<object?> => "list",
        IReadOnlyDictionary<object, object?> => "map",
        CelOptional => "optional_type",
        DateTimeOffset => "google.protobuf.Timestamp",
        TimeSpan => "google.protobuf.Duration",
        CelTypeValue => "type",
        _ => value.GetType().Name,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsNumber(object? value) => value is long or ulong or double;

    /// <summary>CEL's heterogeneous equality: numbers compare by value across int, uint and double; other types must match.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Equal(object? a, object? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (null, _) or (_, null):
                return false;
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return CompareNumbers(a!, b!) == 0;
        }

        return (a, b) switch
        {
            (bool x, bool y) => x == y,
            (string x, string y) => x == y,
            (IReadOnlyList<object?> x, IReadOnlyList<object?> y) => x.Count == y.Count && x.Zip(y).All(p => Equal(p.First, p.Second)),
            (IReadOnlyDictionary<object, object?> x, IReadOnlyDictionary<object, object?> y) =>
                x.Count == y.Count && x.All(p => TryGet(y, p.Key, out var v) && Equal(p.Value, v)),
            (CelOptional x, CelOptional y) => x.HasValue == y.HasValue && Equal(x.Value, y.Value),
            (DateTimeOffset x, DateTimeOffset y) => x == y,
            (TimeSpan x, TimeSpan y) => x == y,
            (CelTypeValue x, CelTypeValue y) => x.Name == y.Name,
            _ => false,
        };
    }

    /// <summary>Orders two numbers of any numeric types; NaN compares as unordered (returns null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int? CompareNumbers(object a, object b)
    {
        switch (a, b)
        {
            case (long x, long y):
                return x.CompareTo(y);
            case (ulong x, ulong y):
                return x.CompareTo(y);
            case (long x, ulong y):
                return x < 0 ? -1 : ((ulong)x).CompareTo(y);
            case (ulong x, long y):
                return y < 0 ? 1 : x.CompareTo((ulong)y);
        }

        var dx = ToDouble(a);
        var dy = ToDouble(b);
        return double.IsNaN(dx) || double.IsNaN(dy) ? null : dx.CompareTo(dy);
    }

    public static double ToDouble(object value) => value switch
    {
        long l => l,
        ulong u => u,
        double d => d,
        _ => throw new CelException($"no such overload: double({TypeName(value)})"),
    };

    /// <summary>Map lookup where numeric keys match across int, uint and double.</summary>
    public static bool TryGet(IReadOnlyDictionary<object, object?> map, object? key, out object? value)
    {
        if (key is not null && map.TryGetValue(key, out value))
        {
            return true;
        }

        if (IsNumber(key))
        {
            foreach (var (k, v) in map)
            {
                if (IsNumber(k) && CompareNumbers(k, key!) == 0)
                {
                    value = v;
                    return true;
                }
            }
        }

        value = null;
        return false;
    }

    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => s,
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        ulong u => u.ToString(System.Globalization.CultureInfo.InvariantCulture),
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        IReadOnlyList<object?> list => "[" + string.Join(", ", list.Select(Format)) + "]",
        IReadOnlyDictionary<object, object?> map => "{" + string.Join(", ", map.Select(p => $"{Format(p.Key)}: {Format(p.Value)}")) + "}",
        DateTimeOffset t => CelTime.Format(t),
        TimeSpan d => CelTime.Format(d),
        CelTypeValue t => t.Name,
        _ => value.ToString() ?? "",
    };
}
