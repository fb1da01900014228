using System.Text.Json.Nodes;

namespace Weir.Core.Cel;

/// <summary>
/// A Common Expression Language expression, parsed once and evaluated against JSON variables, as Flux evaluates
/// <c>healthCheckExprs</c> (the object's top-level fields are the variables) and <c>dependsOn[].readyExpr</c>
/// (<c>self</c> and <c>dep</c>). Parsing fails with a <see cref="CelException"/> naming the position; so does an
/// evaluation that reads a missing key or applies an operator to the wrong types.
/// </summary>
public sealed class CelExpression
{
    private readonly CelNode _root;

    private CelExpression(string source, CelNode root)
    {
        Source = source;
        _root = root;
    }

    public string Source { get; }

    public static CelExpression Parse(string source) => new(source, CelParser.Parse(source));

    /// <summary>Evaluates with the fields of <paramref name="variables"/> as the expression's variables.</summary>
    public object? Evaluate(JsonObject variables) =>
        new CelEvaluator(variables.ToDictionary(p => p.Key, p => CelValues.FromJson(p.Value))).Evaluate(_root);

    public bool EvaluateBoolean(JsonObject variables) => Evaluate(variables) switch
    {
        bool b => b,
        var other => throw new CelException($"expression '{Source}' evaluated to {CelValues.TypeName(other)}, not bool"),
    };

    /// <summary>The result as JSON-like text, for tests and error messages.</summary>
    public static string Format(object? value) => CelValues.Format(value);
}
