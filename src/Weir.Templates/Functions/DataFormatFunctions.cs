using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Tomlyn;
using Tomlyn.Model;
using Weir.Core.Yaml;
using Weir.Templates.Formatting;
using Weir.Templates.Values;

namespace Weir.Templates.Functions;

/// <summary>YAML, JSON and TOML in and out, as Helm's engine functions do them.</summary>
internal static class DataFormatFunctions
{
    public static IReadOnlyList<TemplateFunction> CreateSprig() => [];

    /// <summary>sigs.k8s.io/yaml Marshal: JSON encoding first, then YAML as kubectl prints it (the one YAML layer in Weir.Core).</summary>
    public static string ToYaml(in Value v)
    {
        var json = GoJson.Marshal(v);
        var node = JsonNode.Parse(json, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 100_000 });
        return KubeYaml.Serialize(node, new YamlOptions { SortKeys = true });
    }

    /// <summary>
    /// yaml.v3's encoder with a 2-space indent (Helm's toYamlPretty): Go values are encoded directly, not through
    /// JSON, so float64 values keep Go's %g form (1e+06) and durations print as text; structs still go through JSON.
    /// </summary>
    public static string ToYamlPretty(in Value v) =>
        KubeYaml.Serialize(YamlV3Node(v), new YamlOptions { SortKeys = true, GoYamlV3 = true });

    private static JsonNode? YamlV3Node(in Value v)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (v.Ref)
        {
            case null or NilMarker:
                return null;
            case string s:
                return JsonValue.Create(s);
            case GoType t when ReferenceEquals(t, GoType.Duration):
                return JsonValue.Create(GoDuration.Format(v.RawInt));
            case GoType { Kind: GoKind.Bool }:
                return JsonValue.Create(v.AsBool);
            case GoType t when t.IsSigned:
                return JsonValue.Create(v.RawInt);
            case GoType t when t.IsUnsigned:
                return JsonValue.Create(v.RawUInt);
            case GoType { Kind: GoKind.Float32 }:
                return JsonValue.Create((float)v.AsFloat);
            case GoType { Kind: GoKind.Float64 }:
                return JsonValue.Create(v.AsFloat);
            case GoMap m:
                var obj = new JsonObject();
                foreach (var key in m.SortedKeys())
                {
                    m.TryGet(key, out var e);
                    obj[key] = YamlV3Node(e);
                }

                return obj;
            case GoList l:
                var arr = new JsonArray();
                foreach (var e in l.AsSpan())
                {
                    arr.Add(YamlV3Node(e));
                }

                return arr;
            default:
                return JsonNode.Parse(GoJson.Marshal(v), documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 100_000 });
        }
    }

    public static Value FromYaml(string text, bool array)
    {
        JsonNode? node;
        try
        {
            node = KubeYaml.ParseFirst(text);
        }
        catch (Exception e) when (e is YamlException or FormatException)
        {
            var message = "error converting YAML to JSON: " + e.Message;
            return array ? Value.List(new GoList([Value.String(message)])) : ErrorMap(message);
        }

        return Decoded(GoValues.FromJson(node), array, "error unmarshaling JSON: while decoding JSON: ");
    }

    private static Value Decoded(Value v, bool array, string prefix = "")
    {
        if (array)
        {
            return v.Ref switch
            {
                GoList => v,
                null or NilMarker => Value.List(new GoList([])),
                _ => Value.List(new GoList([Value.String(prefix + $"json: cannot unmarshal {JsonKind(v)} into Go value of type []interface {{}}")])),
            };
        }

        return v.Ref switch
        {
            GoMap => v,
            null or NilMarker => Value.Map(new GoMap()),
            _ => ErrorMap(prefix + $"json: cannot unmarshal {JsonKind(v)} into Go value of type map[string]interface {{}}"),
        };
    }

    private static string JsonKind(in Value v) => v.Ref switch
    {
        string => "string",
        GoList => "array",
        GoMap => "object",
        GoType t when t.Kind == GoKind.Bool => "bool",
        _ => "number",
    };

    public static Value FromJson(string text, bool array)
    {
        try
        {
            return Decoded(GoValues.FromJsonText(text), array);
        }
        catch (System.Text.Json.JsonException e)
        {
            return array ? Value.List(new GoList([Value.String(e.Message)])) : ErrorMap(e.Message);
        }
    }

    private static Value ErrorMap(string message)
    {
        var map = new GoMap();
        map.Set("Error", Value.String(message));
        return Value.Map(map);
    }

    public static Value FromToml(string text)
    {
        try
        {
            var table = TomlSerializer.Deserialize<TomlTable>(text)!;
            return FromTomlObject(table);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ErrorMap(e.Message);
        }
    }

    private static Value FromTomlObject(object? o) => o switch
    {
        null => Value.Nil,
        string s => Value.String(s),
        long l => Value.Int64(l),
        int i => Value.Int64(i),
        double d => Value.Float(d),
        bool b => Value.Bool(b),
        TomlTable t => Value.Map(TableMap(t)),
        TomlTableArray ta => Value.List(new GoList(GoType.InterfaceSlice, ta.Select(t => Value.Map(TableMap(t))).ToArray())),
        System.Collections.IEnumerable list => Value.List(new GoList(list.Cast<object?>().Select(FromTomlObject).ToArray())),
        _ => Value.String(Convert.ToString(o, CultureInfo.InvariantCulture) ?? ""),
    };

    private static GoMap TableMap(TomlTable t)
    {
        var map = new GoMap();
        foreach (var (k, v) in t)
        {
            map.Set(k, FromTomlObject(v));
        }

        return map;
    }

    /// <summary>BurntSushi/toml's encoder: plain keys first, then sub-tables and arrays of tables, keys sorted.</summary>
    public static string ToToml(in Value v)
    {
        if (v.IsNothing)
        {
            // BurntSushi's encoder panics on these; Helm's toToml does not recover.
            throw new TomlPanicException();
        }

        if (v.Ref is not GoMap map)
        {
            throw new TemplateFunctionException("toml: top-level values must be Go maps or structs");
        }

        var sb = new StringBuilder();
        WriteTable(sb, map, "", "");
        return sb.ToString();
    }

    private static bool IsTable(in Value v) => v.Ref is GoMap;

    private static bool IsTableArray(in Value v) => v.Ref is GoList l && l.Count > 0 && l.AsSpan().ToArray().All(x => x.Ref is GoMap);

    private static void WriteTable(StringBuilder sb, GoMap map, string prefix, string indent)
    {
        foreach (var key in map.SortedKeys())
        {
            map.TryGet(key, out var val);
            if (val.IsNothing || IsTable(val) || IsTableArray(val))
            {
                continue;
            }

            sb.Append(indent).Append(Key(key)).Append(" = ");
            WriteValue(sb, val);
            sb.Append('\n');
        }

        foreach (var key in map.SortedKeys())
        {
            map.TryGet(key, out var val);
            var full = prefix.Length == 0 ? Key(key) : prefix + "." + Key(key);
            if (IsTable(val))
            {
                if (sb.Length > 0)
                {
                    sb.Append('\n');
                }

                sb.Append(indent).Append('[').Append(full).Append("]\n");
                WriteTable(sb, val.AsMap, full, indent + "  ");
            }
            else if (IsTableArray(val))
            {
                foreach (var item in val.AsList.AsSpan())
                {
                    if (sb.Length > 0)
                    {
                        sb.Append('\n');
                    }

                    sb.Append(indent).Append("[[").Append(full).Append("]]\n");
                    WriteTable(sb, item.AsMap, full, indent + "  ");
                }
            }
        }
    }

    private static string Key(string k) =>
        k.Length > 0 && k.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? k : Quote(k);

    private static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                default:
                    if (c < 0x20 || c == 0x7F)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    private static void WriteValue(StringBuilder sb, in Value v)
    {
        switch (v.Ref)
        {
            case string s:
                sb.Append(Quote(s));
                break;
            case GoType t when t.Kind == GoKind.Bool:
                sb.Append(v.AsBool ? "true" : "false");
                break;
            case GoType t when t.IsFloat:
                var f = v.AsFloat;
                if (double.IsNaN(f))
                {
                    sb.Append("nan");
                }
                else if (double.IsInfinity(f))
                {
                    sb.Append(f > 0 ? "inf" : "-inf");
                }
                else
                {
                    var text = GoFloatFormat.Format(f, 'f', -1, 64);
                    sb.Append(text);
                    if (!text.Contains('.', StringComparison.Ordinal))
                    {
                        sb.Append(".0");
                    }
                }

                break;
            case GoType t when t.IsSigned:
                sb.Append(v.RawInt);
                break;
            case GoType t when t.IsUnsigned:
                sb.Append(v.RawUInt);
                break;
            case GoList l:
                sb.Append('[');
                for (var i = 0; i < l.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    WriteValue(sb, l[i]);
                }

                sb.Append(']');
                break;
            case GoMap m:
                sb.Append('{');
                var first = true;
                foreach (var k in m.SortedKeys())
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    m.TryGet(k, out var e);
                    sb.Append(Key(k)).Append(" = ");
                    WriteValue(sb, e);
                }

                sb.Append('}');
                break;
            default:
                sb.Append(Quote(GoFmt.Sprint(v)));
                break;
        }
    }
}

/// <summary>What BurntSushi/toml's encoder panics with on a nil value or an empty map.</summary>
internal sealed class TomlPanicException() : Exception("reflect: call of reflect.Value.Type on zero Value");
