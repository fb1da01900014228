namespace Weir.Templates.Functions;

internal static class StringFunctions
{
    public static IReadOnlyList<TemplateFunction> Create() => [];
}
