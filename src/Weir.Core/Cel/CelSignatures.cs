namespace Weir.Core.Cel;

/// <summary>
/// The result types of CEL's operators and functions for the checker: what a call returns given its argument types,
/// or null when no overload accepts them. <see cref="CelType.Dyn"/> arguments match anything.
/// </summary>
internal static class CelSignatures
{
    /// <summary>Functions of Kubernetes' CEL environment that Weir does not evaluate: rules using them are reported, not enforced.</summary>
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "url", "isURL", "getScheme", "getHost", "getHostname", "getPort", "getEscapedPath", "getQuery",
        "quantity", "isQuantity", "sign", "isInteger", "asInteger", "asApproximateFloat", "add", "sub", "compareTo",
        "isGreaterThan", "isLessThan", "ip", "isIP", "cidr", "isCIDR", "family", "isUnspecified", "isLoopback",
        "isLinkLocalMulticast", "isLinkLocalUnicast", "isGlobalUnicast", "containsIP", "containsCIDR", "masked",
        "prefixLength", "semver", "isSemver", "major", "minor", "patch", "reverse", "quote", "format", "validate",
        "bytes", "base64.encode", "base64.decode", "lists.range", "strings.quote", "math.greatest", "math.least",
        "math.ceil", "math.floor", "math.round", "math.trunc", "math.abs", "math.sign", "math.isInf", "math.isNaN",
        "math.isFinite", "math.bitAnd", "math.bitOr", "math.bitXor", "math.bitNot", "math.bitShiftLeft",
        "math.bitShiftRight", "distinct", "flatten", "slice", "sort", "sortBy", "first", "last", "named",
        "dns1123Label", "dns1123Subdomain", "dns1035Label", "qualifiedName", "dns1123LabelPrefix",
        "dns1123SubdomainPrefix", "dns1035LabelPrefix", "labelValue", "uri", "uuid", "byte", "date", "datetime",
        "authorizer", "path", "group", "resource", "check", "allowed", "reason", "errored", "error", "serviceAccount",
        "namespace", "name", "subresource", "fieldSelector", "labelSelector",
    };

    /// <summary>Namespaces of Kubernetes' CEL libraries Weir does not evaluate (<c>format.dns1123Label()</c>, <c>math.abs(x)</c>…).</summary>
    private static readonly HashSet<string> UnsupportedNamespaces = ["format", "math", "base64", "lists", "strings", "ip", "cidr", "quantity", "semver"];

    /// <summary>Whether a function (or a namespaced one) belongs to Kubernetes' environment but not to Weir's.</summary>
    public static bool IsUnsupported(string name) =>
        Unsupported.Contains(name) || (name.IndexOf('.') is > 0 and var dot && UnsupportedNamespaces.Contains(name[..dot]));

    private static readonly HashSet<string> Global =
        ["size", "int", "uint", "double", "string", "bool", "dyn", "type", "matches", "timestamp", "duration",
         "optional.of", "optional.ofNonZeroValue", "optional.none", "sets.contains", "sets.equivalent", "sets.intersects"];

    private static readonly HashSet<string> Members =
        ["size", "contains", "startsWith", "endsWith", "matches", "lowerAscii", "upperAscii", "trim", "replace", "split",
         "indexOf", "lastIndexOf", "substring", "charAt", "join", "find", "findAll", "isSorted", "sum", "min", "max",
         "hasValue", "value", "orValue", "or", "getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDate",
         "getDayOfWeek", "getHours", "getMinutes", "getSeconds", "getMilliseconds"];

    public static bool IsGlobal(string name) => Global.Contains(name);

    /// <summary>Macros of Kubernetes' environment that bind variables and that Weir does not expand.</summary>
    public static bool IsVariableMacro(string name) =>
        name is "all" or "exists" or "existsOne" or "transformList" or "transformMap" or "transformMapEntry" or "optMap" or "optFlatMap";

    public static bool IsMember(string name) => Members.Contains(name);

    public static string Kind(CelType type) => type switch
    {
        CelType.ListType => "list",
        CelType.MapType or CelType.ObjectType => "map",
        CelType.OptionalType => "optional",
        _ when type == CelType.Int || type == CelType.Uint || type == CelType.Double => "number",
        _ => type.ToString(),
    };

    /// <summary>Whether values of the two types may be compared: equal kinds, numbers across types, or dyn/null.</summary>
    public static bool Comparable(CelType a, CelType b) =>
        a.IsDyn || b.IsDyn || a == CelType.Null || b == CelType.Null || Kind(a) == Kind(b);

    public static CelType? Operator(string op, IReadOnlyList<CelType> args)
    {
        if (args.Count == 1)
        {
            var x = args[0];
            return op switch
            {
                "!_" when x.IsDyn || x == CelType.Bool => CelType.Bool,
                "-_" when x.IsDyn || x == CelType.Int || x == CelType.Double || x == CelType.Duration => x,
                _ => null,
            };
        }

        var (a, b) = (args[0], args[1]);
        return op switch
        {
            "_==_" or "_!=_" => Comparable(a, b) ? CelType.Bool : null,
            "_<_" or "_<=_" or "_>_" or "_>=_" =>
                Comparable(a, b) && Kind(a) is not ("list" or "map" or "optional" or "null_type") ? CelType.Bool : null,
            "@in" => b.IsDyn || b is CelType.ListType or CelType.MapType ? CelType.Bool : null,
            "_+_" => Add(a, b),
            "_-_" => Subtract(a, b),
            "_%_" when a == CelType.Double || b == CelType.Double => null,
            _ => SameNumber(a, b),
        };
    }

    private static CelType? Add(CelType a, CelType b)
    {
        if (a.IsDyn || b.IsDyn)
        {
            return a.IsDyn ? b : a;
        }

        return (a, b) switch
        {
            (CelType.ListType x, CelType.ListType y) => x.Element == y.Element ? a : CelType.List(CelType.Dyn),
            _ when a == CelType.String && b == CelType.String => CelType.String,
            _ when a == CelType.Bytes && b == CelType.Bytes => CelType.Bytes,
            _ when a == CelType.Duration && b == CelType.Duration => CelType.Duration,
            _ when (a == CelType.Timestamp && b == CelType.Duration) || (a == CelType.Duration && b == CelType.Timestamp) => CelType.Timestamp,
            _ => SameNumber(a, b),
        };
    }

    private static CelType? Subtract(CelType a, CelType b)
    {
        if (a == CelType.Timestamp && (b == CelType.Timestamp || b.IsDyn))
        {
            return b.IsDyn ? CelType.Dyn : CelType.Duration;
        }

        return (a == CelType.Timestamp || a == CelType.Duration) && (b == CelType.Duration || b.IsDyn) ? a : SameNumber(a, b);
    }

    private static CelType? SameNumber(CelType a, CelType b)
    {
        if (a.IsDyn || b.IsDyn)
        {
            return a.IsDyn ? b : a;
        }

        return a == b && Kind(a) == "number" ? a : null;
    }

    public static CelType? Function(string name, IReadOnlyList<CelType> args)
    {
        var first = args.Count > 0 ? args[0] : CelType.Dyn;
        return (name, args.Count) switch
        {
            ("size", 1) => first.IsDyn || first == CelType.String || first == CelType.Bytes || first is CelType.ListType or CelType.MapType
                ? CelType.Int
                : null,
            ("int", 1) => CelType.Int,
            ("uint", 1) => CelType.Uint,
            ("double", 1) => CelType.Double,
            ("string", 1) => CelType.String,
            ("bool", 1) => CelType.Bool,
            ("dyn", 1) => CelType.Dyn,
            ("type", 1) => CelType.Type,
            ("matches", 2) => CelType.Bool,
            ("timestamp", 1) => CelType.Timestamp,
            ("duration", 1) => CelType.Duration,
            ("optional.of" or "optional.ofNonZeroValue", 1) => CelType.Optional(first),
            ("optional.none", 0) => CelType.Optional(CelType.Dyn),
            ("sets.contains" or "sets.equivalent" or "sets.intersects", 2) =>
                args.All(a => a.IsDyn || a is CelType.ListType) ? CelType.Bool : null,
            _ => null,
        };
    }

    public static CelType? Member(string name, CelType target, IReadOnlyList<CelType> args)
    {
        if (target.IsDyn)
        {
            return name switch
            {
                "contains" or "startsWith" or "endsWith" or "matches" or "isSorted" or "hasValue" => CelType.Bool,
                "size" or "indexOf" or "lastIndexOf" => CelType.Int,
                _ => CelType.Dyn,
            };
        }

        return target switch
        {
            _ when target == CelType.String => StringMember(name, args.Count),
            CelType.ListType list => (name, args.Count) switch
            {
                ("size", 0) => CelType.Int,
                ("join", 0 or 1) => CelType.String,
                ("isSorted", 0) => CelType.Bool,
                ("sum" or "min" or "max", 0) => list.Element,
                ("indexOf" or "lastIndexOf", 1) => CelType.Int,
                _ => null,
            },
            CelType.MapType when name == "size" && args.Count == 0 => CelType.Int,
            CelType.OptionalType optional => (name, args.Count) switch
            {
                ("hasValue", 0) => CelType.Bool,
                ("value", 0) or ("orValue", 1) => optional.Value,
                ("or", 1) => target,
                _ => null,
            },
            _ when (target == CelType.Timestamp || target == CelType.Duration) && args.Count == 0 && name.StartsWith("get", StringComparison.Ordinal) => CelType.Int,
            _ => null,
        };
    }

    private static CelType? StringMember(string name, int arity) => (name, arity) switch
    {
        ("contains" or "startsWith" or "endsWith" or "matches", 1) => CelType.Bool,
        ("lowerAscii" or "upperAscii" or "trim", 0) => CelType.String,
        ("replace", 2 or 3) or ("substring", 1 or 2) or ("charAt", 1) or ("find", 1) => CelType.String,
        ("split", 1 or 2) or ("findAll", 1 or 2) => CelType.List(CelType.String),
        ("indexOf" or "lastIndexOf", 1 or 2) or ("size", 0) => CelType.Int,
        _ => null,
    };
}
