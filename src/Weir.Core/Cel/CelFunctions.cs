using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Weir.Core.Cel;

/// <summary>
/// CEL's operators and the functions of the environments Flux and Kubernetes offer: the standard library (size,
/// contains, startsWith, endsWith, matches, conversions, timestamps and durations), the strings extension
/// (lowerAscii, upperAscii, trim, split, join, replace, indexOf, lastIndexOf, substring, charAt), optionals (of,
/// none, orValue, hasValue, value) and Kubernetes' libraries in <see cref="CelKubernetesLibrary"/>.
/// </summary>
internal static class CelFunctions
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static object? Call(string function, object? target, bool hasTarget, IReadOnlyList<object?> args)
    {
        if (hasTarget)
        {
            return Method(function, target, args);
        }

        if (args.Count == 2 && Binary(function, args) is { } binary)
        {
            return binary;
        }

        return (function, args.Count) switch
        {
            ("!_", 1) => args[0] is bool b ? !b : throw NoOverload("!_", args),
            ("-_", 1) => Negate(args[0]),
            ("size", 1) => Size(args[0]),
            ("int", 1) => ToInt(args[0]),
            ("uint", 1) => ToUint(args[0]),
            ("double", 1) => ToDouble(args[0]),
            ("string", 1) => ToStringValue(args[0]),
            ("bool", 1) => ToBool(args[0]),
            ("dyn", 1) => args[0],
            ("type", 1) => new CelTypeValue(CelValues.TypeName(args[0])),
            ("matches", 2) => Matches(args[0], args[1]),
            ("timestamp", 1) => args[0] switch
            {
                string s => CelTime.ParseTimestamp(s),
                DateTimeOffset t => t,
                _ => throw NoOverload("timestamp", args),
            },
            ("duration", 1) => args[0] switch
            {
                string s => CelTime.ParseDuration(s),
                TimeSpan d => d,
                _ => throw NoOverload("duration", args),
            },
            ("optional.of", 1) => new CelOptional(true, args[0]),
            ("optional.ofNonZeroValue", 1) => IsZero(args[0]) ? CelOptional.None : new CelOptional(true, args[0]),
            ("optional.none", 0) => CelOptional.None,
            _ => CelKubernetesLibrary.TryCall(function, args, out var result)
                ? result
                : throw new CelException($"undeclared reference to '{function}' (in container '')"),
        };
    }

    /// <summary>The binary operators, dispatched on the name alone as they are the hot path of comprehensions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static object? Binary(string function, IReadOnlyList<object?> args) => function switch
    {
        "_==_" => CelValues.Equal(args[0], args[1]),
        "_!=_" => !CelValues.Equal(args[0], args[1]),
        "_<_" => Compare(function, args) < 0,
        "_<=_" => Compare(function, args) <= 0,
        "_>_" => Compare(function, args) > 0,
        "_>=_" => Compare(function, args) >= 0,
        "_+_" => Add(args[0], args[1]),
        "_-_" or "_*_" or "_/_" or "_%_" => Arithmetic(function, args[0], args[1]),
        "@in" => In(args[0], args[1]),
        _ => null,
    };

    private static object? Method(string function, object? target, IReadOnlyList<object?> args)
    {
        switch (target, function, args.Count)
        {
            case (CelOptional o, "hasValue", 0):
                return o.HasValue;
            case (CelOptional o, "value", 0):
                return o.HasValue ? o.Value : throw new CelException("optional.none() dereference");
            case (CelOptional o, "orValue", 1):
                return o.HasValue ? o.Value : args[0];
            case (CelOptional o, "or", 1):
                return o.HasValue ? o : args[0];
            case (_, "size", 0):
                return Size(target);
            case (string s, "contains", 1) when args[0] is string part:
                return s.Contains(part, StringComparison.Ordinal);
            case (string s, "startsWith", 1) when args[0] is string prefix:
                return s.StartsWith(prefix, StringComparison.Ordinal);
            case (string s, "endsWith", 1) when args[0] is string suffix:
                return s.EndsWith(suffix, StringComparison.Ordinal);
            case (string, "matches", 1):
                return Matches(target, args[0]);
            case (string s, "lowerAscii", 0):
                return MapAscii(s, char.ToLowerInvariant);
            case (string s, "upperAscii", 0):
                return MapAscii(s, char.ToUpperInvariant);
            case (string s, "trim", 0):
                return s.Trim();
            case (string s, "split", 1) when args[0] is string separator:
                return s.Split(separator).Cast<object?>().ToList();
            case (string s, "replace", 2) when args[0] is string from && args[1] is string to:
                return from.Length == 0 ? s : s.Replace(from, to, StringComparison.Ordinal);
            case (string s, "replace", 3) when args[0] is string from && args[1] is string to && args[2] is long n:
                return ReplaceFirst(s, from, to, n);
            case (string s, "split", 2) when args[0] is string separator && args[1] is long n:
                return n == 0 ? new List<object?>() : s.Split(separator, n < 0 ? int.MaxValue : (int)Math.Min(n, int.MaxValue)).Cast<object?>().ToList();
            case (string s, "indexOf", 2) when args[0] is string part && args[1] is long offset:
                return CodePointIndex(s, s.IndexOf(part, Utf16Offset(s, offset), StringComparison.Ordinal));
            case (string s, "lastIndexOf", 2) when args[0] is string part && args[1] is long offset:
                return CodePointIndex(s, s[..Math.Min(s.Length, Utf16Offset(s, offset) + part.Length)].LastIndexOf(part, StringComparison.Ordinal));
            case (string s, "indexOf", 1) when args[0] is string part:
                return CodePointIndex(s, s.IndexOf(part, StringComparison.Ordinal));
            case (string s, "lastIndexOf", 1) when args[0] is string part:
                return CodePointIndex(s, s.LastIndexOf(part, StringComparison.Ordinal));
            case (string s, "charAt", 1) when args[0] is long at:
                return Substring(s, at, at + 1 > CodePoints(s).Count ? at : at + 1);
            case (string s, "substring", 1) when args[0] is long start:
                return Substring(s, start, CodePoints(s).Count);
            case (string s, "substring", 2) when args[0] is long start && args[1] is long end:
                return Substring(s, start, end);
            case (IReadOnlyList<object?> list, "join", 0):
                return Join(list, "");
            case (IReadOnlyList<object?> list, "join", 1) when args[0] is string separator:
                return Join(list, separator);
            case (DateTimeOffset or TimeSpan, _, 0) when CelTime.Accessor(target, function) is { } part:
                return part;
            case var _ when CelKubernetesLibrary.TryMethod(function, target, args, out var result):
                return result;
            default:
                throw new CelException(
                    $"no matching overload for '{function}' applied to '{CelValues.TypeName(target)}.({string.Join(", ", args.Select(CelValues.TypeName))})'");
        }
    }

    internal static CelException NoOverload(string function, IReadOnlyList<object?> args) =>
        new($"no such overload: {function} applied to ({string.Join(", ", args.Select(CelValues.TypeName))})");

    private static object Negate(object? value) => value switch
    {
        long l when l == long.MinValue => throw new CelException("return error for overflow"),
        long l => (object)-l,
        double d => (object)-d,
        _ => throw NoOverload("-_", [value]),
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Compare(string function, IReadOnlyList<object?> args)
    {
        var (a, b) = (args[0], args[1]);
        if (CelValues.IsNumber(a) && CelValues.IsNumber(b))
        {
            // NaN is unordered: every comparison is false.
            return CelValues.CompareNumbers(a!, b!) ?? (function is "_<_" or "_<=_" ? 1 : -1);
        }

        return (a, b) switch
        {
            (string x, string y) => string.CompareOrdinal(x, y),
            (bool x, bool y) => x.CompareTo(y),
            (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
            (TimeSpan x, TimeSpan y) => x.CompareTo(y),
            _ => throw NoOverload(function, args),
        };
    }

    private static object Add(object? a, object? b) => (a, b) switch
    {
        (string x, string y) => x + y,
        (IReadOnlyList<object?> x, IReadOnlyList<object?> y) => x.Concat(y).ToList(),
        (DateTimeOffset or TimeSpan, _) or (_, DateTimeOffset) => CelTime.Add(a, b) ?? throw NoOverload("_+_", [a, b]),
        _ => Arithmetic("_+_", a, b),
    };

    internal static object Arithmetic(string op, object? a, object? b)
    {
        if (op == "_-_" && a is DateTimeOffset or TimeSpan)
        {
            return CelTime.Subtract(a, b) ?? throw NoOverload(op, [a, b]);
        }

        try
        {
            return (a, b) switch
            {
                (long x, long y) => (object)(op switch
                {
                    "_+_" => checked(x + y),
                    "_-_" => checked(x - y),
                    "_*_" => checked(x * y),
                    "_/_" => y == 0 ? throw new CelException("division by zero") : checked(x / y),
                    _ => y == 0 ? throw new CelException("modulus by zero") : x % y,
                }),
                (ulong x, ulong y) => (object)(op switch
                {
                    "_+_" => checked(x + y),
                    "_-_" => checked(x - y),
                    "_*_" => checked(x * y),
                    "_/_" => y == 0 ? throw new CelException("division by zero") : x / y,
                    _ => y == 0 ? throw new CelException("modulus by zero") : x % y,
                }),
                (double x, double y) => (object)(op switch
                {
                    "_+_" => x + y,
                    "_-_" => x - y,
                    "_*_" => x * y,
                    "_/_" => x / y,
                    _ => throw NoOverload(op, [a, b]),
                }),
                _ => throw NoOverload(op, [a, b]),
            };
        }
        catch (OverflowException)
        {
            throw new CelException("return error for overflow");
        }
    }

    private static bool In(object? element, object? container) => container switch
    {
        IReadOnlyList<object?> list => list.Any(item => CelValues.Equal(item, element)),
        IReadOnlyDictionary<object, object?> map => CelValues.TryGet(map, element, out _),
        _ => throw NoOverload("@in", [element, container]),
    };

    private static long Size(object? value) => value switch
    {
        string s => CodePoints(s).Count,
        IReadOnlyList<object?> list => list.Count,
        IReadOnlyDictionary<object, object?> map => map.Count,
        _ => throw NoOverload("size", [value]),
    };

    private static object ToInt(object? value)
    {
        try
        {
            return value switch
            {
                long l => l,
                ulong u => checked((long)u),
                DateTimeOffset t => t.ToUnixTimeSeconds(),
                double d when double.IsFinite(d) && d > -9.2233720368547758E18 && d < 9.2233720368547758E18 => (long)Math.Truncate(d),
                double => throw new CelException("double is out of range for int"),
                string s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : throw new CelException($"cannot convert '{s}' to int"),
                _ => throw NoOverload("int", [value]),
            };
        }
        catch (OverflowException)
        {
            throw new CelException("uint is out of range for int");
        }
    }

    private static object ToUint(object? value) => value switch
    {
        ulong u => u,
        long l when l >= 0 => (ulong)l,
        long => throw new CelException("int is out of range for uint"),
        double d when double.IsFinite(d) && d >= 0 && d < 1.8446744073709552E19 => (ulong)Math.Truncate(d),
        double => throw new CelException("double is out of range for uint"),
        string s => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var u) ? u : throw new CelException($"cannot convert '{s}' to uint"),
        _ => throw NoOverload("uint", [value]),
    };

    private static object ToDouble(object? value) => value switch
    {
        double d => d,
        long or ulong => CelValues.ToDouble(value),
        string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new CelException($"cannot convert '{s}' to double"),
        _ => throw NoOverload("double", [value]),
    };

    private static object ToStringValue(object? value) => value switch
    {
        string or long or ulong or double or bool or DateTimeOffset or TimeSpan => CelValues.Format(value),
        _ => throw NoOverload("string", [value]),
    };

    private static object ToBool(object? value) => value switch
    {
        bool b => b,
        string s => s switch
        {
            "1" or "t" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "false" or "FALSE" or "False" => false,
            _ => throw new CelException($"type conversion error from 'string' to 'bool'"),
        },
        _ => throw NoOverload("bool", [value]),
    };

    private static bool Matches(object? text, object? pattern) =>
        text is string s && pattern is string p ? WithPattern(p, regex => regex.IsMatch(s)) : throw NoOverload("matches", [text, pattern]);

    /// <summary>Runs a regular expression with a time limit, turning a bad pattern or a runaway match into a CEL error.</summary>
    internal static T WithPattern<T>(string pattern, Func<Regex, T> use)
    {
        try
        {
            if (Patterns.Count > 1000)
            {
                Patterns.Clear();
            }

            return use(Patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, RegexTimeout)));
        }
        catch (ArgumentException e)
        {
            throw new CelException($"invalid regular expression '{pattern}': {e.Message}");
        }
        catch (RegexMatchTimeoutException)
        {
            throw new CelException($"regular expression '{pattern}' took too long");
        }
    }

    private static bool IsZero(object? value) => value switch
    {
        null => true,
        bool b => !b,
        long l => l == 0,
        ulong u => u == 0,
        double d => d == 0,
        string s => s.Length == 0,
        IReadOnlyList<object?> list => list.Count == 0,
        IReadOnlyDictionary<object, object?> map => map.Count == 0,
        _ => false,
    };

    private static string MapAscii(string s, Func<char, char> map) =>
        string.Concat(s.Select(c => c < 128 ? map(c) : c));

    private static List<string> CodePoints(string s)
    {
        var points = new List<string>();
        for (var i = 0; i < s.Length; i += char.IsSurrogatePair(s, i) ? 2 : 1)
        {
            points.Add(char.IsSurrogatePair(s, i) ? s.Substring(i, 2) : s[i].ToString());
        }

        return points;
    }

    /// <summary>The UTF-16 offset of a code point index, failing as cel-go does when it is out of range.</summary>
    private static int Utf16Offset(string s, long codePoint)
    {
        var points = CodePoints(s);
        if (codePoint < 0 || codePoint > points.Count)
        {
            throw new CelException($"index out of range: {codePoint}");
        }

        return points.Take((int)codePoint).Sum(p => p.Length);
    }

    private static string ReplaceFirst(string s, string from, string to, long n)
    {
        if (n < 0 || from.Length == 0)
        {
            return n == 0 || from.Length == 0 ? s : s.Replace(from, to, StringComparison.Ordinal);
        }

        var builder = new StringBuilder();
        var at = 0;
        for (var i = 0; i < n; i++)
        {
            var found = s.IndexOf(from, at, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            builder.Append(s, at, found - at).Append(to);
            at = found + from.Length;
        }

        return builder.Append(s, at, s.Length - at).ToString();
    }

    private static long CodePointIndex(string s, int utf16Index) =>
        utf16Index < 0 ? -1 : CodePoints(s[..utf16Index]).Count;

    private static string Substring(string s, long start, long end)
    {
        var points = CodePoints(s);
        if (start < 0 || end > points.Count || start > end)
        {
            throw new CelException($"index out of range: {(start < 0 || start > points.Count ? start : end)}");
        }

        return string.Concat(points.Skip((int)start).Take((int)(end - start)));
    }

    private static string Join(IReadOnlyList<object?> list, string separator)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not string s)
            {
                throw new CelException($"join: list element {i} is {CelValues.TypeName(list[i])}, not string");
            }

            builder.Append(i > 0 ? separator : "").Append(s);
        }

        return builder.ToString();
    }
}
