namespace Weir.Templates.Functions;

internal static class SemverFunctions
{
    public static IReadOnlyList<TemplateFunction> Create() => [];
}
