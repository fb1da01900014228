using Weir.Templates.Formatting;
using Weir.Templates.Values;
using static Weir.Templates.Functions.FunctionBuilder;
using static Weir.Templates.Functions.SprigValues;

namespace Weir.Templates.Functions;

/// <summary>Sprig's defaults.go (default, empty, coalesce, all, any, ternary, the JSON helpers) and its flow control (fail).</summary>
internal static class DefaultFunctions
{
    public static IReadOnlyList<TemplateFunction> Create()
    {
        var b = new FunctionBuilder();
        b.Variadic("default", [Any, Any], static (_, a) => a.Length < 2 || Empty(a[1]) ? a[0] : a[1]);
        b.Add("empty", [Any], static (_, a) => Value.Bool(Empty(a[0])));
        b.Variadic("coalesce", [Any], static (_, a) =>
        {
            foreach (var v in a)
            {
                if (!Empty(v))
                {
                    return v;
                }
            }

            return Value.Nil;
        });
        b.Variadic("all", [Any], static (_, a) =>
        {
            foreach (var v in a)
            {
                if (Empty(v))
                {
                    return Value.False;
                }
            }

            return Value.True;
        });
        b.Variadic("any", [Any], static (_, a) =>
        {
            foreach (var v in a)
            {
                if (!Empty(v))
                {
                    return Value.True;
                }
            }

            return Value.False;
        });
        b.Add("ternary", [Any, Any, Bool], static (_, a) => a[2].AsBool ? a[0] : a[1]);
        b.Add("fail", [Str], static (_, a) => throw new TemplateFunctionException(a[0].AsString));
        b.Add("fromJson", [Str], static (_, a) => TryFromJson(a[0].AsString, out var v, out var ignored) ? v : Value.Nil);
        b.Add("mustFromJson", [Str], static (_, a) => TryFromJson(a[0].AsString, out var v, out var e) ? v : throw new TemplateFunctionException(e));
        b.Add("toJson", [Any], static (_, a) => Value.String(TryMarshal(a[0], true, null)));
        b.Add("mustToJson", [Any], static (_, a) => Value.String(GoJson.Marshal(a[0])));
        b.Add("toPrettyJson", [Any], static (_, a) => Value.String(TryMarshal(a[0], true, "  ")));
        b.Add("mustToPrettyJson", [Any], static (_, a) => Value.String(GoJson.Marshal(a[0], true, "  ")));
        b.Add("toRawJson", [Any], static (_, a) => Value.String(GoJson.Marshal(a[0], false)));
        b.Add("mustToRawJson", [Any], static (_, a) => Value.String(GoJson.Marshal(a[0], false)));
        return b.Functions;
    }

    internal static string TryMarshal(in Value v, bool escapeHtml, string? indent)
    {
        try
        {
            return GoJson.Marshal(v, escapeHtml, indent);
        }
        catch (TemplateFunctionException)
        {
            return "";
        }
    }

    internal static bool TryFromJson(string text, out Value value, out string error)
    {
        try
        {
            value = GoValues.FromJsonText(text);
            error = "";
            return true;
        }
        catch (System.Text.Json.JsonException e)
        {
            value = Value.Nil;
            error = e.Message;
            return false;
        }
    }
}
