namespace Weir.Templates.Functions;

internal static class RegexFunctions
{
    public static IReadOnlyList<TemplateFunction> Create() => [];
}
