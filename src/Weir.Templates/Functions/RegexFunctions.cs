using Weir.Templates.Values;
using static Weir.Templates.Functions.FunctionBuilder;
using static Weir.Templates.Functions.SprigValues;

namespace Weir.Templates.Functions;

/// <summary>Sprig's regex.go over Go's RE2 syntax.</summary>
internal static class RegexFunctions
{
    public static IReadOnlyList<TemplateFunction> Create()
    {
        var b = new FunctionBuilder();
        b.Add("regexMatch", [Str, Str], static (_, a) =>
        {
            try
            {
                return Value.Bool(GoRegex.Compile(a[0].AsString).IsMatch(a[1].AsString));
            }
            catch (ArgumentException)
            {
                return Value.False;
            }
        });
        b.Add("mustRegexMatch", [Str, Str], static (_, a) => Value.Bool(GoRegex.Compile(a[0].AsString).IsMatch(a[1].AsString)));
        b.Add("regexFindAll", [Str, Str, Int], static (_, a) => Strings(GoRegex.FindAll(GoRegex.Compile(a[0].AsString), a[1].AsString, a[2].RawInt).Select(m => m.Value)));
        b.Alias("mustRegexFindAll", "regexFindAll");
        b.Add("regexFind", [Str, Str], static (_, a) => Value.String(GoRegex.Compile(a[0].AsString).Match(a[1].AsString) is { Success: true } m ? m.Value : ""));
        b.Alias("mustRegexFind", "regexFind");
        b.Add("regexReplaceAll", [Str, Str, Str], static (_, a) => Value.String(GoRegex.ReplaceAll(GoRegex.Compile(a[0].AsString), a[1].AsString, a[2].AsString, literal: false)));
        b.Alias("mustRegexReplaceAll", "regexReplaceAll");
        b.Add("regexReplaceAllLiteral", [Str, Str, Str], static (_, a) => Value.String(GoRegex.ReplaceAll(GoRegex.Compile(a[0].AsString), a[1].AsString, a[2].AsString, literal: true)));
        b.Alias("mustRegexReplaceAllLiteral", "regexReplaceAllLiteral");
        b.Add("regexSplit", [Str, Str, Int], static (_, a) => Strings(GoRegex.Split(GoRegex.Compile(a[0].AsString), a[1].AsString, a[2].RawInt)));
        b.Alias("mustRegexSplit", "regexSplit");
        b.Add("regexQuoteMeta", [Str], static (_, a) => Value.String(GoRegex.QuoteMeta(a[0].AsString)));
        return b.Functions;
    }
}
