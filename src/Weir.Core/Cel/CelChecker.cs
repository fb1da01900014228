namespace Weir.Core.Cel;

/// <summary>
/// Infers the type of a parsed expression from the declared types of its variables, reporting what cel-go's checker
/// reports for the common mistakes: an undeclared variable or function, a field the object type does not declare,
/// and an operator or function applied to types it has no overload for. What cannot be known before run time is
/// <see cref="CelType.Dyn"/> and passes.
/// </summary>
internal sealed class CelChecker(IReadOnlyDictionary<string, CelType> variables)
{
    private readonly Dictionary<string, CelType> _locals = [];

    public List<(int Position, string Message)> Issues { get; } = [];

    public HashSet<string> Referenced { get; } = [];

    public HashSet<string> Unsupported { get; } = [];

    public CelType Check(CelNode node) => node switch
    {
        CelLiteral literal => LiteralType(literal.Value),
        CelIdent ident => Ident(ident),
        CelSelect select => Select(select),
        CelIndex index => Index(index),
        CelList list => CelType.List(Common(list.Items.Select(Check).ToList())),
        CelMap map => CelType.Map(
            Common(map.Entries.Select(e => Check(e.Key)).ToList()),
            Common(map.Entries.Select(e => Check(e.Value)).ToList())),
        CelConditional conditional => Conditional(conditional),
        CelAnd and => Logical(and.Left, and.Right, "_&&_"),
        CelOr or => Logical(or.Left, or.Right, "_||_"),
        CelComprehension comprehension => Comprehension(comprehension),
        CelBind bind => WithLocal(bind.Variable, Check(bind.Init), () => Check(bind.Body)),
        CelCall call => Call(call),
        _ => CelType.Dyn,
    };

    private static CelType LiteralType(object? value) => value switch
    {
        null => CelType.Null,
        bool => CelType.Bool,
        long => CelType.Int,
        ulong => CelType.Uint,
        double => CelType.Double,
        string => CelType.String,
        _ => CelType.Dyn,
    };

    /// <summary>The type all items share, else dyn (CEL's list and map literals of mixed types are dyn).</summary>
    private static CelType Common(IReadOnlyList<CelType> types) =>
        types.Count > 0 && types.All(t => t == types[0]) ? types[0] : CelType.Dyn;

    private CelType Ident(CelIdent ident)
    {
        if (_locals.TryGetValue(ident.Name, out var local))
        {
            return local;
        }

        if (variables.TryGetValue(ident.Name, out var declared))
        {
            Referenced.Add(ident.Name);
            return declared;
        }

        if (CelTypeValue.Names.Contains(ident.Name))
        {
            return CelType.Type;
        }

        return Issue(ident.Position, $"undeclared reference to '{ident.Name}' (in container '')");
    }

    private CelType Issue(int position, string message)
    {
        Issues.Add((position, message));
        return CelType.Dyn;
    }

    private CelType Select(CelSelect select)
    {
        var operand = Check(select.Operand);
        var optional = select.Optional;
        if (operand is CelType.OptionalType { Value: var inner })
        {
            operand = inner;
            optional = true;
        }

        CelType field;
        switch (operand)
        {
            case CelType.ObjectType obj:
                field = obj.Field(select.Field)?.Type ?? Issue(select.Position, $"undefined field '{select.Field}'");
                break;
            case CelType.MapType map:
                field = map.Value;
                break;
            case var _ when operand.IsDyn:
                field = CelType.Dyn;
                break;
            default:
                field = Issue(select.Position, $"type '{operand}' does not support field selection");
                break;
        }

        return select.Test ? CelType.Bool : optional ? CelType.Optional(field) : field;
    }

    private CelType Index(CelIndex index)
    {
        var operand = Check(index.Operand);
        var key = Check(index.Index);
        var optional = index.Optional;
        if (operand is CelType.OptionalType { Value: var inner })
        {
            operand = inner;
            optional = true;
        }

        var element = operand switch
        {
            CelType.ListType list when key.IsDyn || CelSignatures.Kind(key) == "number" => list.Element,
            CelType.MapType map => map.Value,
            CelType.ObjectType => CelType.Dyn,
            _ when operand.IsDyn => CelType.Dyn,
            _ => Issue(index.Position, $"found no matching overload for '_[_]' applied to '({operand}, {key})'"),
        };
        return optional ? CelType.Optional(element) : element;
    }

    private CelType Conditional(CelConditional conditional)
    {
        var condition = Check(conditional.Condition);
        if (!condition.IsDyn && condition != CelType.Bool)
        {
            Issue(conditional.Condition.Position, $"found no matching overload for '_?_:_' applied to '({condition}, ...)'");
        }

        var then = Check(conditional.Then);
        var otherwise = Check(conditional.Else);
        return then == otherwise || otherwise == CelType.Null ? then : then == CelType.Null ? otherwise : CelType.Dyn;
    }

    private CelType Logical(CelNode left, CelNode right, string op)
    {
        var (a, b) = (Check(left), Check(right));
        if ((!a.IsDyn && a != CelType.Bool) || (!b.IsDyn && b != CelType.Bool))
        {
            Issue(left.Position, $"found no matching overload for '{op}' applied to '({a}, {b})'");
        }

        return CelType.Bool;
    }

    private CelType WithLocal(string variable, CelType type, Func<CelType> body)
    {
        var shadowed = _locals.TryGetValue(variable, out var previous);
        _locals[variable] = type;
        try
        {
            return body();
        }
        finally
        {
            if (shadowed)
            {
                _locals[variable] = previous!;
            }
            else
            {
                _locals.Remove(variable);
            }
        }
    }

    private CelType Comprehension(CelComprehension c)
    {
        var range = Check(c.Range);
        var variable = range switch
        {
            CelType.ListType list => list.Element,
            CelType.MapType map => map.Key,
            CelType.ObjectType => CelType.String,
            _ when range.IsDyn => CelType.Dyn,
            _ => Issue(c.Position, $"expression of type '{range}' cannot be range of a comprehension (must be list, map, or dynamic)"),
        };
        return WithLocal(c.Variable, variable, () =>
        {
            if (c.Filter is not null)
            {
                Check(c.Filter);
            }

            var body = Check(c.Body);
            return c.Macro switch
            {
                "map" => CelType.List(body),
                "filter" => CelType.List(variable),
                _ => CelType.Bool,
            };
        });
    }

    private CelType Call(CelCall call)
    {
        if (call.Target is CelIdent { Name: var ns } && !_locals.ContainsKey(ns) && !variables.ContainsKey(ns))
        {
            return Function(call, $"{ns}.{call.Function}", call.Args.Select(Check).ToList());
        }

        if (call.Target is null)
        {
            var args = call.Args.Select(Check).ToList();
            return call.Function.StartsWith('_') || call.Function.StartsWith('@') || call.Function is "!_" or "-_"
                ? CelSignatures.Operator(call.Function, args)
                    ?? Issue(call.Position, $"found no matching overload for '{call.Function}' applied to '({string.Join(", ", args)})'")
                : Function(call, call.Function, args);
        }

        var target = Check(call.Target);
        if (CelSignatures.IsVariableMacro(call.Function) && call.Args is [CelIdent, ..])
        {
            // Two-variable comprehensions and optMap/optFlatMap bind names Weir's parser does not expand.
            Unsupported.Add(call.Function);
            return call.Function is "all" or "exists" or "existsOne" ? CelType.Bool : CelType.Dyn;
        }

        var memberArgs = call.Args.Select(Check).ToList();
        if (!CelSignatures.IsMember(call.Function))
        {
            return Unknown(call, call.Function);
        }

        return CelSignatures.Member(call.Function, target, memberArgs)
            ?? Issue(call.Position, $"found no matching overload for '{call.Function}' applied to '{target}.({string.Join(", ", memberArgs)})'");
    }

    private CelType Function(CelCall call, string name, IReadOnlyList<CelType> args)
    {
        if (!CelSignatures.IsGlobal(name))
        {
            return Unknown(call, name);
        }

        return CelSignatures.Function(name, args)
            ?? Issue(call.Position, $"found no matching overload for '{name}' applied to '({string.Join(", ", args)})'");
    }

    /// <summary>A function Weir does not evaluate: Kubernetes' are noted as unsupported, anything else is undeclared.</summary>
    private CelType Unknown(CelCall call, string name)
    {
        if (CelSignatures.IsUnsupported(name))
        {
            Unsupported.Add(name);
            return CelType.Dyn;
        }

        return Issue(call.Position, $"undeclared reference to '{name}' (in container '')");
    }
}
