namespace Weir.Templates.Functions;

internal static class DictFunctions
{
    public static IReadOnlyList<TemplateFunction> Create() => [];
}
