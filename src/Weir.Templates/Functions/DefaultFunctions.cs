namespace Weir.Templates.Functions;

internal static class DefaultFunctions
{
    public static IReadOnlyList<TemplateFunction> Create() => [];
}
