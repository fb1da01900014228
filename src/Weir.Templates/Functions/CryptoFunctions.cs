namespace Weir.Templates.Functions;

internal static class CryptoFunctions
{
    public static IReadOnlyList<TemplateFunction> Create() => [];
}
