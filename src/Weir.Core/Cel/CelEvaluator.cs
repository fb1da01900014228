using System.Runtime.CompilerServices;

namespace Weir.Core.Cel;

/// <summary>
/// Evaluates a parsed expression against variables with CEL's semantics: errors propagate, except that
/// <c>&amp;&amp;</c> and <c>||</c> (and the <c>all</c>/<c>exists</c> macros) absorb an error when the other side
/// decides the result.
/// </summary>
internal sealed class CelEvaluator(IReadOnlyDictionary<string, object?> variables, long maxSteps = CelEvaluator.MaxSteps)
{
    /// <summary>Steps one evaluation may take, so nested comprehensions over large lists end with an error, not a hang.</summary>
    public const long MaxSteps = 5_000_000;

    /// <summary>cel-go's wording when an evaluation goes over its cost limit.</summary>
    public const string CostLimitExceeded = "operation cancelled: actual cost limit exceeded";

    private readonly Dictionary<string, object?> _locals = [];
    private long _steps;

    /// <summary>The steps taken so far: the evaluation's cost.</summary>
    public long Steps => _steps;

    // The evaluator's recursion is optimized at once rather than tiered up: a rule that loops millions of times runs
    // once per request, often before tiered compilation would have caught up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public object? Evaluate(CelNode node) => ++_steps > maxSteps
        ? throw new CelException(CostLimitExceeded)
        : node switch
        {
            CelLiteral literal => literal.Value,
            CelIdent ident => Lookup(ident.Name),
            CelSelect select => Select(select),
            CelIndex index => Index(index),
            CelList list => list.Items.Select(Evaluate).ToList(),
            CelMap map => MapLiteral(map),
            CelConditional conditional => Evaluate(conditional.Condition) switch
            {
                true => Evaluate(conditional.Then),
                false => Evaluate(conditional.Else),
                var other => throw new CelException($"no matching overload for '_?_:_' applied to '({CelValues.TypeName(other)}, ...)'"),
            },
            CelAnd and => Logical(and.Left, and.Right, decisive: false),
            CelOr or => Logical(or.Left, or.Right, decisive: true),
            CelComprehension comprehension => Comprehend(comprehension),
            CelBind bind => WithLocal(bind.Variable, Evaluate(bind.Init), () => Evaluate(bind.Body)),
            CelCall call => Call(call),
            _ => throw new CelException($"unsupported expression {node.GetType().Name}"),
        };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private object? Call(CelCall call)
    {
        if (call.Target is CelIdent { Name: var ns } && !IsBound(ns))
        {
            return CelFunctions.Call($"{ns}.{call.Function}", null, hasTarget: false, Arguments(call));
        }

        var target = call.Target is null ? null : Evaluate(call.Target);
        return CelFunctions.Call(call.Function, target, call.Target is not null, Arguments(call));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private object?[] Arguments(CelCall call)
    {
        var args = new object?[call.Args.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = Evaluate(call.Args[i]);
        }

        return args;
    }

    public bool EvaluateBoolean(CelNode node) => Evaluate(node) is bool b
        ? b
        : throw new CelException("expression did not evaluate to a bool");

    private bool IsBound(string name) => _locals.ContainsKey(name) || variables.ContainsKey(name);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private object? Lookup(string name) =>
        _locals.TryGetValue(name, out var local) ? local
        : variables.TryGetValue(name, out var value) ? value
        : CelTypeValue.Names.Contains(name) ? new CelTypeValue(name)
        : throw new CelException($"no such attribute(s): {name}");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private object? Select(CelSelect select)
    {
        // `optional.none()` style namespaces are handled by calls; a bare select on an unbound name fails as CEL's does.
        var operand = Evaluate(select.Operand);
        if (operand is CelOptional optional)
        {
            if (!optional.HasValue)
            {
                return select.Test ? false : CelOptional.None;
            }

            operand = optional.Value;
            return SelectField(operand, select.Field, optional: true, select.Test);
        }

        return SelectField(operand, select.Field, select.Optional, select.Test);
    }

    private static object? SelectField(object? operand, string field, bool optional, bool test)
    {
        if (operand is not IReadOnlyDictionary<object, object?> map)
        {
            throw new CelException(operand is null
                ? $"no such key: {field}"
                : $"type '{CelValues.TypeName(operand)}' does not support field selection");
        }

        var found = map.TryGetValue(field, out var value);
        if (test)
        {
            return found;
        }

        if (optional)
        {
            return found ? new CelOptional(true, value) : CelOptional.None;
        }

        return found ? value : throw new CelException($"no such key: {field}");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private object? Index(CelIndex index)
    {
        var operand = Evaluate(index.Operand);
        var key = Evaluate(index.Index);
        var optional = index.Optional;
        if (operand is CelOptional wrapped)
        {
            if (!wrapped.HasValue)
            {
                return CelOptional.None;
            }

            operand = wrapped.Value;
            optional = true;
        }

        switch (operand)
        {
            case IReadOnlyList<object?> list:
                var position = key switch
                {
                    long l => l,
                    ulong u => u > long.MaxValue ? long.MaxValue : (long)u,
                    double d when d == Math.Floor(d) => (long)d,
                    _ => throw new CelException($"no matching overload for '_[_]' applied to '(list, {CelValues.TypeName(key)})'"),
                };
                if (position < 0 || position >= list.Count)
                {
                    return optional ? CelOptional.None : throw new CelException($"index out of bounds: {position}");
                }

                return optional ? new CelOptional(true, list[(int)position]) : list[(int)position];
            case IReadOnlyDictionary<object, object?> map:
                if (CelValues.TryGet(map, key, out var value))
                {
                    return optional ? new CelOptional(true, value) : value;
                }

                return optional ? CelOptional.None : throw new CelException($"no such key: {CelValues.Format(key)}");
            default:
                throw new CelException($"no matching overload for '_[_]' applied to '({CelValues.TypeName(operand)}, {CelValues.TypeName(key)})'");
        }
    }

    private Dictionary<object, object?> MapLiteral(CelMap map)
    {
        var result = new Dictionary<object, object?>();
        foreach (var (keyNode, valueNode) in map.Entries)
        {
            var key = Evaluate(keyNode);
            if (key is not (string or long or ulong or bool))
            {
                throw new CelException($"unsupported key type: {CelValues.TypeName(key)}");
            }

            if (!result.TryAdd(key, Evaluate(valueNode)))
            {
                throw new CelException($"Failed with repeated key: {CelValues.Format(key)}");
            }
        }

        return result;
    }

    /// <summary><c>&amp;&amp;</c> (decisive false) and <c>||</c> (decisive true), commutative over errors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Logical(CelNode left, CelNode right, bool decisive)
    {
        var op = decisive ? "_||_" : "_&&_";
        CelException? error = null;
        for (var i = 0; i < 2; i++)
        {
            var side = i == 0 ? left : right;
            try
            {
                switch (Evaluate(side))
                {
                    case bool b when b == decisive:
                        return decisive;
                    case bool:
                        break;
                    case var other:
                        error ??= new CelException($"no matching overload for '{op}' applied to '({CelValues.TypeName(other)})'");
                        break;
                }
            }
            catch (CelException e)
            {
                error ??= e;
            }
        }

        return error is null ? !decisive : throw error;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private object? WithLocal(string variable, object? value, Func<object?> body)
    {
        var shadowed = _locals.TryGetValue(variable, out var previous);
        _locals[variable] = value;
        try
        {
            return body();
        }
        finally
        {
            if (shadowed)
            {
                _locals[variable] = previous;
            }
            else
            {
                _locals.Remove(variable);
            }
        }
    }

    private object? Comprehend(CelComprehension c)
    {
        var range = Evaluate(c.Range) switch
        {
            IReadOnlyList<object?> list => list,
            IReadOnlyDictionary<object, object?> map => map.Keys.ToList(),
            var other => throw new CelException($"expression of type '{CelValues.TypeName(other)}' cannot be range of a comprehension (must be list, map, or dynamic)"),
        };
        return WithLocal(c.Variable, null, () => c.Macro switch
        {
            "all" => Quantify(range, c, decisive: false),
            "exists" => Quantify(range, c, decisive: true),
            "exists_one" => range.Count(item => Predicate(c, item)) == 1,
            "filter" => range.Where(item => Predicate(c, item)).ToList(),
            "map" => range.Where(item => c.Filter is null || Bind(c.Variable, item, c.Filter) is true).Select(item => Bind(c.Variable, item, c.Body)).ToList(),
            _ => throw new CelException($"unknown macro {c.Macro}"),
        });
    }

    /// <summary><c>all</c> (decisive false) and <c>exists</c> (decisive true): an error only counts when nothing decides.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Quantify(IReadOnlyList<object?> range, CelComprehension c, bool decisive)
    {
        CelException? error = null;
        foreach (var item in range)
        {
            try
            {
                if (Predicate(c, item) == decisive)
                {
                    return decisive;
                }
            }
            catch (CelException e)
            {
                error ??= e;
            }
        }

        return error is null ? !decisive : throw error;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Predicate(CelComprehension c, object? item) => Bind(c.Variable, item, c.Body) switch
    {
        bool b => b,
        var other => throw new CelException($"no matching overload for '{c.Macro}' predicate of type '{CelValues.TypeName(other)}'"),
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private object? Bind(string variable, object? item, CelNode body)
    {
        _locals[variable] = item;
        return Evaluate(body);
    }
}
