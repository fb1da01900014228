namespace Weir.Templates.Functions;

internal static class ListFunctions
{
    public static IReadOnlyList<TemplateFunction> Create() => [];
}
