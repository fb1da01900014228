namespace Weir.Templates.Functions;

internal static class NetworkFunctions
{
    public static IReadOnlyList<TemplateFunction> Create() => [];
}
