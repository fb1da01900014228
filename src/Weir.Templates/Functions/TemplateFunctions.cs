namespace Weir.Templates.Functions;

/// <summary>The function tables templates are parsed against.</summary>
public static class TemplateFunctions
{
    private static readonly Lazy<FunctionTable> BuiltinTable = new(() => new FunctionTable(BuiltinFunctions.Create()));
    private static readonly Lazy<FunctionTable> SprigTable = new(() => Builtin.With(SprigFamilies()));
    private static readonly Lazy<FunctionTable> HelmTable = new(() => Sprig.Without("env", "expandenv").With(HelmFunctions.Create()));

    /// <summary>Go's own functions only.</summary>
    public static FunctionTable Builtin => BuiltinTable.Value;

    /// <summary>Go's functions plus Sprig v3 (without env and expandenv, which Weir never offers).</summary>
    public static FunctionTable Sprig => SprigTable.Value;

    /// <summary>Sprig plus Helm's engine functions (toYaml, include, tpl, required, lookup …).</summary>
    public static FunctionTable Helm => HelmTable.Value;

    private static IEnumerable<TemplateFunction> SprigFamilies() =>
        StringFunctions.Create()
            .Concat(ListFunctions.Create())
            .Concat(DictFunctions.Create())
            .Concat(MathFunctions.Create())
            .Concat(DefaultFunctions.Create())
            .Concat(DateFunctions.Create())
            .Concat(EncodingFunctions.Create())
            .Concat(CryptoFunctions.Create())
            .Concat(SemverFunctions.Create())
            .Concat(ReflectionFunctions.Create())
            .Concat(NetworkFunctions.Create())
            .Concat(RegexFunctions.Create())
            .Concat(PathFunctions.Create())
            .Concat(DataFormatFunctions.CreateSprig());
}
