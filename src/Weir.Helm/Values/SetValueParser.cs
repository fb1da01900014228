using System.Globalization;
using System.Text;
using System.Text.Json;
using Weir.Templates.Values;

namespace Weir.Helm.Values;

/// <summary>How <see cref="SetValueParser"/> turns the text after <c>=</c> into a value.</summary>
public enum SetValueMode
{
    /// <summary><c>--set</c>: true/false/null and decimal integers become typed values, the rest strings.</summary>
    Typed,

    /// <summary><c>--set-string</c>: every value is a string.</summary>
    String,

    /// <summary><c>--set-json</c>: the value is one JSON document.</summary>
    Json,

    /// <summary><c>--set-file</c>: the value is a path; its content (by the given reader) is the value.</summary>
    File,
}

/// <summary>
/// Helm's <c>--set</c> family parser: <c>a.b=c,d[0].e=f</c>, backslash escapes, <c>{x,y}</c> lists, indices up to
/// 65,536, names nested at most 30 deep. Parsed values are written into a destination map (later keys replace earlier).
/// </summary>
public sealed class SetValueParser
{
    public const int MaxIndex = 65536;
    public const int MaxNestedNameLevel = 30;

    private readonly string text;
    private readonly SetValueMode mode;
    private readonly Func<string, Value>? fileReader;
    private int pos;

    private SetValueParser(string text, SetValueMode mode, Func<string, Value>? fileReader)
    {
        this.text = text;
        this.mode = mode;
        this.fileReader = fileReader;
    }

    /// <exception cref="ValuesException">The expression is malformed; the message is Helm's.</exception>
    public static void ParseInto(string expression, GoMap destination, SetValueMode mode = SetValueMode.Typed, Func<string, Value>? fileReader = null)
    {
        var parser = new SetValueParser(expression, mode, fileReader);
        while (true)
        {
            try
            {
                if (!parser.Key(destination, 0))
                {
                    return;
                }
            }
            catch (InvalidCastException e)
            {
                throw new ValuesException("unable to parse key: " + e.Message, e);
            }
        }
    }

    /// <summary>A string Helm's <c>--set</c> would type: booleans, null, int64, or the text itself.</summary>
    public static Value TypedValue(string value)
    {
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return Value.True;
        }

        if (value.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return Value.False;
        }

        if (value.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return Value.Nil;
        }

        if (value == "0")
        {
            return Value.Int64(0);
        }

        if (value.Length > 0 && value[0] != '0' && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            return Value.Int64(i);
        }

        return Value.String(value);
    }

    // Returns false at the end of the input.
    private bool Key(GoMap data, int level)
    {
        var (k, last, eof) = RunesUntil("=[,.");
        if (eof)
        {
            if (k.Length == 0)
            {
                return false;
            }

            throw new ValuesException($"key {Q(k)} has no value");
        }

        switch (last)
        {
            case '[':
                var index = KeyIndex();
                var list = data.TryGet(k, out var existing) ? AsList(existing) : [];
                list = ListItem(list, index, level, out var more);
                Set(data, k, Value.List(new GoList([.. list])));
                return more;
            case '=':
                return AssignValue(v => Set(data, k, v));
            case ',':
                Set(data, k, Value.EmptyString);
                throw new ValuesException($"key {Q(k)} has no value (cannot end with ,)");
            default:
                level++;
                if (level > MaxNestedNameLevel)
                {
                    throw new ValuesException($"value name nested level is greater than maximum supported nested level of {MaxNestedNameLevel}");
                }

                var inner = data.TryGet(k, out var e) ? AsMap(e) : new GoMap();
                var result = Key(inner, level);
                if (result && inner.Count == 0)
                {
                    throw new ValuesException($"key map {Q(k)} has no value");
                }

                if (inner.Count != 0)
                {
                    Set(data, k, Value.Map(inner));
                }

                return result;
        }
    }

    // Reads the value after '=' and hands it to assign; false at the end of the input.
    private bool AssignValue(Action<Value> assign)
    {
        if (mode == SetValueMode.Json)
        {
            if (EmptyValue())
            {
                assign(Value.Nil);
                return pos < text.Length;
            }

            assign(ReadJson());
            EmptyValue();
            return pos < text.Length;
        }

        if (pos >= text.Length)
        {
            assign(Value.EmptyString);
            return false;
        }

        if (text[pos] == '{')
        {
            pos++;
            assign(Value.List(new GoList([.. ValueList()])));
            return true;
        }

        var (raw, _, eof) = RunesUntil(",");
        assign(Read(raw));
        return !eof;
    }

    private List<Value> ListItem(List<Value> list, int i, int level, out bool more)
    {
        if (i < 0)
        {
            throw new ValuesException($"negative {i} index not allowed");
        }

        var (k, last, eof) = RunesUntil("[.=");
        if (k.Length > 0)
        {
            throw new ValuesException($"unexpected data at end of array index: {Q(k)}");
        }

        if (eof)
        {
            more = false;
            return list;
        }

        switch (last)
        {
            case '=':
                var assigned = list;
                more = AssignValue(v => assigned = SetIndex(list, i, v));
                return assigned;
            case '[':
                var next = KeyIndex();
                var current = i < list.Count && !list[i].IsNothing ? AsList(list[i]) : [];
                var inner = ListItem(current, next, level, out more);
                return SetIndex(list, i, Value.List(new GoList([.. inner])));
            default:
                var map = i < list.Count && list[i].IsMap ? list[i].AsMap : new GoMap();
                more = Key(map, level);
                return SetIndex(list, i, Value.Map(map));
        }
    }

    private static List<Value> SetIndex(List<Value> list, int index, Value value)
    {
        if (index < 0)
        {
            throw new ValuesException($"negative {index} index not allowed");
        }

        if (index > MaxIndex)
        {
            throw new ValuesException($"index of {index} is greater than maximum supported index of {MaxIndex}");
        }

        while (list.Count <= index)
        {
            list.Add(Value.Nil);
        }

        list[index] = value;
        return list;
    }

    private int KeyIndex()
    {
        var (v, _, eof) = RunesUntil("]");
        if (eof)
        {
            throw new ValuesException("error parsing index: EOF");
        }

        if (!int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            throw new ValuesException($"error parsing index: strconv.Atoi: parsing {Q(v)}: invalid syntax");
        }

        return i;
    }

    private List<Value> ValueList()
    {
        var list = new List<Value>();
        while (true)
        {
            var (rs, last, eof) = RunesUntil(",}");
            if (eof)
            {
                throw new ValuesException("list must terminate with '}'");
            }

            list.Add(Read(rs));
            if (last == '}')
            {
                if (pos < text.Length && text[pos] == ',')
                {
                    pos++;
                }

                return list;
            }
        }
    }

    private bool EmptyValue()
    {
        while (pos < text.Length)
        {
            var c = text[pos];
            if (c == ',')
            {
                pos++;
                return true;
            }

            if (!char.IsWhiteSpace(c))
            {
                return false;
            }

            pos++;
        }

        return true;
    }

    private Value ReadJson()
    {
        var bytes = Encoding.UTF8.GetBytes(text[pos..]);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true });
        try
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            pos += Encoding.UTF8.GetCharCount(bytes.AsSpan(0, (int)reader.BytesConsumed));
            return GoValues.FromJson(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new ValuesException(e.Message, e);
        }
    }

    private Value Read(string raw) => mode switch
    {
        SetValueMode.String => Value.String(raw),
        SetValueMode.File => fileReader!(raw),
        _ => TypedValue(raw),
    };

    private (string Text, char Last, bool Eof) RunesUntil(string stop)
    {
        var sb = new StringBuilder();
        while (pos < text.Length)
        {
            var c = text[pos++];
            if (stop.Contains(c))
            {
                return (sb.ToString(), c, false);
            }

            if (c == '\\')
            {
                if (pos >= text.Length)
                {
                    return (sb.ToString(), '\0', true);
                }

                sb.Append(text[pos++]);
                continue;
            }

            sb.Append(c);
        }

        return (sb.ToString(), '\0', true);
    }

    private static void Set(GoMap data, string key, Value value)
    {
        if (key.Length > 0)
        {
            data.Set(key, value);
        }
    }

    private static List<Value> AsList(Value v) => v.IsList ? [.. v.AsList.AsSpan()]
        : throw new InvalidCastException($"interface conversion: interface {{}} is {v.Type?.Name ?? "nil"}, not []interface {{}}");

    private static GoMap AsMap(Value v) => v.IsMap ? v.AsMap
        : throw new InvalidCastException($"interface conversion: interface {{}} is {v.Type?.Name ?? "nil"}, not map[string]interface {{}}");

    private static string Q(string s) => JsonSerializer.Serialize(s);
}
