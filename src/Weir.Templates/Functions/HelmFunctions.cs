namespace Weir.Templates.Functions;

internal static class HelmFunctions
{
    public static IReadOnlyList<TemplateFunction> Create() => [];
}
