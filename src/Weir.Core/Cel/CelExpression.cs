using System.Text.Json.Nodes;

namespace Weir.Core.Cel;

/// <summary>
/// A Common Expression Language expression, parsed once and evaluated against JSON variables, as Flux evaluates
/// <c>healthCheckExprs</c> (the object's top-level fields are the variables) and <c>dependsOn[].readyExpr</c>
/// (<c>self</c> and <c>dep</c>), and as the API server evaluates a CRD's <c>x-kubernetes-validations</c>
/// (<see cref="Compile"/> checks it against typed variables first). Parsing fails with a <see cref="CelException"/>
/// naming the position; so does an evaluation that reads a missing key or applies an operator to the wrong types.
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

    /// <summary>
    /// Parses and type-checks against declared variables, as cel-go compiles: the result holds the expression, or
    /// the errors worded and located as cel-go prints them.
    /// </summary>
    public static CelCompilation Compile(string source, IReadOnlyDictionary<string, CelType> variables)
    {
        CelNode root;
        try
        {
            root = CelParser.Parse(source);
        }
        catch (CelException e)
        {
            return new CelCompilation(source, null, CelType.Dyn, [(e.Position ?? 0, e.Detail)], new HashSet<string>(), new HashSet<string>());
        }

        var checker = new CelChecker(variables);
        var type = checker.Check(root);
        return new CelCompilation(source, new CelExpression(source, root), type, checker.Issues, checker.Referenced, checker.Unsupported);
    }

    /// <summary>Evaluates with the fields of <paramref name="variables"/> as the expression's variables.</summary>
    public object? Evaluate(JsonObject variables) =>
        new CelEvaluator(variables.ToDictionary(p => p.Key, p => CelValues.FromJson(p.Value))).Evaluate(_root);

    /// <summary>
    /// Evaluates with variables already converted (<see cref="Value"/>), stopping with cel-go's "actual cost limit
    /// exceeded" error after <paramref name="maxSteps"/> steps; <paramref name="steps"/> is what it cost, even when it fails.
    /// </summary>
    public object? Evaluate(IReadOnlyDictionary<string, object?> variables, long maxSteps, out long steps)
    {
        var evaluator = new CelEvaluator(variables, maxSteps);
        try
        {
            return evaluator.Evaluate(_root);
        }
        finally
        {
            steps = evaluator.Steps;
        }
    }

    /// <summary>Evaluates to a bool; failures carry Flux's wording, naming the expression.</summary>
    public bool EvaluateBoolean(JsonObject variables)
    {
        object? value;
        try
        {
            value = Evaluate(variables);
        }
        catch (CelException e)
        {
            throw new CelException($"failed to evaluate the CEL expression '{Source}': {e.Message}");
        }

        return value is bool b ? b : throw new CelException($"failed to evaluate CEL expression as boolean: '{Source}'");
    }

    /// <summary>The CEL value of JSON read as a declared type (objects keep their declared fields, strings of a timestamp type become timestamps…).</summary>
    public static object? Value(JsonNode? json, CelType type) => CelValues.FromJson(json, type);

    /// <summary><c>optional.of(value)</c>, or <c>optional.none()</c> for no value.</summary>
    public static object Optional(object? value, bool hasValue) => hasValue ? new CelOptional(true, value) : CelOptional.None;

    /// <summary>The result as JSON-like text, for tests and error messages.</summary>
    public static string Format(object? value) => CelValues.Format(value);
}

/// <summary>The outcome of <see cref="CelExpression.Compile"/>.</summary>
public sealed class CelCompilation
{
    private readonly IReadOnlyList<(int Position, string Message)> _issues;

    internal CelCompilation(string source, CelExpression? expression, CelType type, IReadOnlyList<(int, string)> issues,
        IReadOnlySet<string> referenced, IReadOnlySet<string> unsupported)
    {
        Source = source;
        _issues = issues;
        Expression = issues.Count == 0 ? expression : null;
        Type = type;
        Referenced = referenced;
        UnsupportedFunctions = unsupported;
    }

    public string Source { get; }

    /// <summary>The checked expression; null when there are errors.</summary>
    public CelExpression? Expression { get; }

    /// <summary>The type the expression evaluates to (<see cref="CelType.Dyn"/> when only run time knows).</summary>
    public CelType Type { get; }

    /// <summary>The declared variables the expression reads.</summary>
    public IReadOnlySet<string> Referenced { get; }

    /// <summary>Functions of Kubernetes' CEL environment the expression calls that Weir does not evaluate.</summary>
    public IReadOnlySet<string> UnsupportedFunctions { get; }

    /// <summary>cel-go's <c>issues.String()</c>: one <c>ERROR: &lt;input&gt;:LINE:COLUMN: message</c> per issue with the source line and a caret.</summary>
    public string Errors => string.Join("\n", _issues.Select(i => Display(i.Position, i.Message)));

    private string Display(int position, string message)
    {
        position = Math.Clamp(position, 0, Source.Length);
        var lineStart = position == 0 ? 0 : Source.LastIndexOf('\n', position - 1) + 1;
        var line = Source[..lineStart].Count(c => c == '\n') + 1;
        var lineEnd = Source.IndexOf('\n', lineStart);
        var text = Source[lineStart..(lineEnd < 0 ? Source.Length : lineEnd)].Replace('\t', ' ');
        var column = position - lineStart;
        return $"ERROR: <input>:{line}:{column + 1}: {message}\n | {text}\n | {new string('.', column)}^";
    }
}
