namespace Weir.Templates.Functions;

internal static class ReflectionFunctions
{
    public static IReadOnlyList<TemplateFunction> Create() => [];
}
