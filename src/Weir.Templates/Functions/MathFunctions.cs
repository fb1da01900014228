namespace Weir.Templates.Functions;

internal static class MathFunctions
{
    public static IReadOnlyList<TemplateFunction> Create() => [];
}
