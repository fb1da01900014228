namespace Weir.Templates.Functions;

internal static class DataFormatFunctions
{
    public static IReadOnlyList<TemplateFunction> CreateSprig() => [];
}
