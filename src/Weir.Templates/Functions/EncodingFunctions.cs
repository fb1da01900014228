namespace Weir.Templates.Functions;

internal static class EncodingFunctions
{
    public static IReadOnlyList<TemplateFunction> Create() => [];
}
