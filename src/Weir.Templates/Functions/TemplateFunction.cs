using Weir.Templates.Values;

namespace Weir.Templates.Functions;

/// <summary>The body of a template function: arguments arrive converted to the declared parameter types.</summary>
public delegate Value TemplateFunctionBody(ExecutionContext context, ReadOnlySpan<Value> args);

/// <summary>How the evaluator treats a function beyond an ordinary call.</summary>
public enum SpecialForm : byte
{
    None,

    /// <summary>Go's builtin and: evaluates arguments lazily, stops at the first false one.</summary>
    And,

    /// <summary>Go's builtin or: stops at the first true one.</summary>
    Or,
}

/// <summary>
/// A function templates can call, with a Go signature: parameter types decide how arguments convert (Go's
/// evalArg and validateType rules, applied in one place by the evaluator).
/// </summary>
public sealed class TemplateFunction
{
    public TemplateFunction(string name, GoType[] parameters, TemplateFunctionBody body, bool variadic = false, SpecialForm special = SpecialForm.None)
    {
        Name = name;
        Parameters = parameters;
        Body = body;
        Variadic = variadic;
        Special = special;
    }

    public string Name { get; }

    /// <summary>Parameter types; when <see cref="Variadic"/>, the last one is the element type of the variadic part.</summary>
    public GoType[] Parameters { get; }

    public bool Variadic { get; }

    public SpecialForm Special { get; }

    public TemplateFunctionBody Body { get; }

    /// <summary>The parameter type for argument position <paramref name="i"/>.</summary>
    public GoType ParameterAt(int i) => i < Parameters.Length - 1 || !Variadic ? Parameters[i] : Parameters[^1];
}

/// <summary>A name → function map fixed before parsing, so the parser can resolve every call once.</summary>
public sealed class FunctionTable
{
    private readonly Dictionary<string, TemplateFunction> functions;

    public FunctionTable(IEnumerable<TemplateFunction> functions)
    {
        this.functions = new Dictionary<string, TemplateFunction>(StringComparer.Ordinal);
        foreach (var f in functions)
        {
            this.functions[f.Name] = f;
        }
    }

    public TemplateFunction? Find(string name) => functions.TryGetValue(name, out var f) ? f : null;

    public IEnumerable<string> Names => functions.Keys;

    /// <summary>A new table with these functions added (replacing any of the same name).</summary>
    public FunctionTable With(IEnumerable<TemplateFunction> more) => new(functions.Values.Concat(more));

    /// <summary>A new table without the named functions.</summary>
    public FunctionTable Without(params string[] names) => new(functions.Values.Where(f => !names.Contains(f.Name)));
}
