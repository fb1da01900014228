using System.Text.Json.Nodes;
using Weir.Templates.Functions;
using Weir.Templates.Values;

namespace Weir.Templates.Tests;

/// <summary>Runs one case the way the oracle does: function set, number typing and Helm's options.</summary>
internal static class CaseRunner
{
    private static readonly TimeProvider FixedClock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero));

    public static (string? Output, string? Error) Run(string template, JsonNode? data, string? funcs, string? numbers, bool strict = false)
    {
        var (table, options) = Setup(funcs, strict);
        var value = GoValues.FromJson(data?.DeepClone(), numbers == "int" ? NumberMode.Int : NumberMode.Float);
        try
        {
            var set = new TemplateEngine(table, options).Parse("case", template);
            return (set.Execute(value), null);
        }
        catch (TemplateException e)
        {
            return (null, e.Message);
        }
    }

    public static (FunctionTable Table, TemplateOptions Options) Setup(string? funcs, bool strict)
    {
        var helm = funcs == "helm";
        var table = funcs switch
        {
            "builtin" => TemplateFunctions.Builtin,
            "helm" => TemplateFunctions.Helm,
            _ => TemplateFunctions.Sprig,
        };
        var options = new TemplateOptions
        {
            MissingKey = helm ? (strict ? MissingKeyMode.Error : MissingKeyMode.Zero) : MissingKeyMode.Default,
            RemoveNoValue = helm,
            Clock = FixedClock,
            Random = new Random(42),
        };
        return (table, options);
    }
}
