using Weir.Templates.Formatting;
using Weir.Templates.Values;
using static Weir.Templates.Functions.FunctionBuilder;

namespace Weir.Templates.Functions;

/// <summary>The functions Helm's engine adds over Sprig: YAML/JSON/TOML, include, tpl, required, lookup, mustToDuration.</summary>
internal static class HelmFunctions
{
    public static IReadOnlyList<TemplateFunction> Create()
    {
        var b = new FunctionBuilder();
        b.Add("toYaml", [Any], static (_, a) =>
        {
            try
            {
                return Value.String(TrimOneNewline(DataFormatFunctions.ToYaml(a[0])));
            }
            catch (TemplateFunctionException)
            {
                return Value.EmptyString;
            }
        });
        b.Add("mustToYaml", [Any], static (_, a) => Value.String(TrimOneNewline(DataFormatFunctions.ToYaml(a[0]))));
        b.Add("toYamlPretty", [Any], static (_, a) =>
        {
            try
            {
                return Value.String(TrimOneNewline(DataFormatFunctions.ToYamlPretty(a[0])));
            }
            catch (TemplateFunctionException)
            {
                return Value.EmptyString;
            }
        });
        b.Add("fromYaml", [Str], static (_, a) => DataFormatFunctions.FromYaml(a[0].AsString, array: false));
        b.Add("fromYamlArray", [Str], static (_, a) => DataFormatFunctions.FromYaml(a[0].AsString, array: true));
        b.Add("toJson", [Any], static (_, a) => Value.String(DefaultFunctions.TryMarshal(a[0], true, null)));
        b.Add("mustToJson", [Any], static (_, a) => Value.String(GoJson.Marshal(a[0])));
        b.Add("fromJson", [Str], static (_, a) => DataFormatFunctions.FromJson(a[0].AsString, array: false));
        b.Add("fromJsonArray", [Str], static (_, a) => DataFormatFunctions.FromJson(a[0].AsString, array: true));
        b.Add("toToml", [Any], static (_, a) =>
        {
            try
            {
                return Value.String(DataFormatFunctions.ToToml(a[0]));
            }
            catch (TemplateFunctionException e)
            {
                return Value.String(e.Message);
            }
        });
        b.Add("mustToToml", [Any], static (_, a) => Value.String(DataFormatFunctions.ToToml(a[0])));
        b.Add("fromToml", [Str], static (_, a) => DataFormatFunctions.FromToml(a[0].AsString));
        b.Add("mustToDuration", [Any], static (_, a) => Value.Duration(ToDuration(a[0])));
        b.Add("required", [Str, Any], static (_, a) =>
            a[1].IsNothing || a[1].Ref is "" ? throw new TemplateFunctionException(a[0].AsString) : a[1]);
        b.Add("include", [Str, Any], static (c, a) => Value.String(c.Include(a[0].AsString, a[1])));
        b.Add("tpl", [Str, Any], static (c, a) => Value.String(c.Tpl(a[0].AsString, a[1])));
        b.Add("lookup", [Str, Str, Str, Str], static (c, a) =>
            c.Options.Lookup?.Lookup(a[0].AsString, a[1].AsString, a[2].AsString, a[3].AsString) ?? Value.Map(new GoMap()));
        return b.Functions;
    }

    private static string TrimOneNewline(string s) => s.EndsWith('\n') ? s[..^1] : s;

    private static long ToDuration(in Value v)
    {
        switch (v.Ref)
        {
            case GoType t when ReferenceEquals(t, GoType.Duration):
                return v.RawInt;
            case string s:
                var trimmed = StringFunctions.TrimGoSpace(s);
                if (trimmed.Length == 0)
                {
                    throw new TemplateFunctionException("empty duration");
                }

                if (GoDuration.TryParse(trimmed, out var d, out _))
                {
                    return d;
                }

                if (GoStrconv.TryParseFloat(trimmed, out var f))
                {
                    return SprigValues.FloatToInt64(f * 1e9);
                }

                throw new TemplateFunctionException($"could not parse duration {GoQuote.Quote(s)}");
            case GoType t when ReferenceEquals(t, GoType.Int) || ReferenceEquals(t, GoType.Int64):
                return unchecked(v.RawInt * 1_000_000_000);
            case GoType t when t.Kind == GoKind.Float64:
                return SprigValues.FloatToInt64(v.AsFloat * 1e9);
            case null or NilMarker:
                throw new TemplateFunctionException("invalid duration");
            default:
                throw new TemplateFunctionException("unsupported duration type " + v.Type!.Name);
        }
    }
}
