using Weir.Templates.Values;

namespace Weir.Templates.Functions;

/// <summary>Shorthand for declaring a family of functions with Go signatures.</summary>
internal sealed class FunctionBuilder
{
    private readonly List<TemplateFunction> functions = [];

    public IReadOnlyList<TemplateFunction> Functions => functions;

    public static readonly GoType Any = GoType.Interface;
    public static readonly GoType Str = GoType.String;
    public static readonly GoType Int = GoType.Int;
    public static readonly GoType Int64 = GoType.Int64;
    public static readonly GoType Bool = GoType.Bool;
    public static readonly GoType Float = GoType.Float64;
    public static readonly GoType Map = GoType.InterfaceMap;
    public static readonly GoType List = GoType.InterfaceSlice;
    public static readonly GoType Reflect = GoType.ReflectValue;

    public FunctionBuilder Add(string name, GoType[] parameters, TemplateFunctionBody body)
    {
        functions.Add(new TemplateFunction(name, parameters, body));
        return this;
    }

    public FunctionBuilder Variadic(string name, GoType[] parameters, TemplateFunctionBody body)
    {
        functions.Add(new TemplateFunction(name, parameters, body, variadic: true));
        return this;
    }

    public FunctionBuilder Alias(string name, string existing)
    {
        var f = functions.First(x => x.Name == existing);
        functions.Add(new TemplateFunction(name, f.Parameters, f.Body, f.Variadic, f.Special));
        return this;
    }

    public FunctionBuilder Raw(TemplateFunction f)
    {
        functions.Add(f);
        return this;
    }
}
