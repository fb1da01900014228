namespace Weir.Templates.Functions;

internal static class PathFunctions
{
    public static IReadOnlyList<TemplateFunction> Create() => [];
}
