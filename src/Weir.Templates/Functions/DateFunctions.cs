namespace Weir.Templates.Functions;

internal static class DateFunctions
{
    public static IReadOnlyList<TemplateFunction> Create() => [];
}
