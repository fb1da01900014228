namespace Weir.Core.Cel;

/// <summary>
/// Recursive-descent parser of CEL's grammar: conditional, <c>||</c>, <c>&amp;&amp;</c>, relations (incl. <c>in</c>),
/// additive, multiplicative and unary operators, member selection, indexing, calls, list and map literals, and the
/// macros <c>has</c>, <c>all</c>, <c>exists</c>, <c>exists_one</c>, <c>filter</c>, <c>map</c> and <c>cel.bind</c>.
/// </summary>
internal sealed class CelParser
{
    private static readonly HashSet<string> Reserved = ["as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"];
    /// <summary>cel-go's limits: a hostile expression fails to parse instead of exhausting the stack.</summary>
    private const int MaxDepth = 250;
    private const int MaxLength = 100_000;
    private readonly List<CelToken> _tokens;
    private int _at;
    private int _depth;

    private CelParser(string source) => _tokens = CelLexer.Tokenize(source);

    public static CelNode Parse(string source)
    {
        if (source.Length > MaxLength)
        {
            throw new CelException($"Syntax error: expression code point size exceeds limit: size: {source.Length}, limit {MaxLength}");
        }

        var parser = new CelParser(source);
        var node = parser.Expression();
        if (parser.Peek.Kind != CelTokenKind.End)
        {
            throw parser.Error($"mismatched input '{parser.Peek.Text}'");
        }

        return node;
    }

    /// <summary>One more level of nesting in the tree being built (evaluation recurses as deep as the tree).</summary>
    private void Nest()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"expression recursion limit exceeded: {MaxDepth}");
        }
    }

    private CelToken Peek => _tokens[_at];

    private CelToken Next() => _tokens[_at++];

    private bool IsPunct(string text) => Peek.Kind == CelTokenKind.Punct && Peek.Text == text;

    private bool Accept(string text)
    {
        if (!IsPunct(text))
        {
            return false;
        }

        _at++;
        return true;
    }

    private void Expect(string text)
    {
        if (!Accept(text))
        {
            throw Error(Peek.Kind == CelTokenKind.End ? $"missing '{text}' at end of expression" : $"expected '{text}' but found '{Peek.Text}'");
        }
    }

    private CelException Error(string message) => new($"Syntax error: {message} (position {Peek.Position})", Peek.Position, $"Syntax error: {message}");

    private CelNode Expression()
    {
        Nest();
        try
        {
            var condition = Or();
            if (!Accept("?"))
            {
                return condition;
            }

            var then = Or();
            Expect(":");
            return new CelConditional(condition, then, Expression());
        }
        finally
        {
            _depth--;
        }
    }

    private CelNode Or()
    {
        var left = And();
        var depth = _depth;
        while (Accept("||"))
        {
            Nest();
            left = new CelOr(left, And());
        }

        _depth = depth;
        return left;
    }

    private CelNode And()
    {
        var left = Relation();
        var depth = _depth;
        while (Accept("&&"))
        {
            Nest();
            left = new CelAnd(left, Relation());
        }

        _depth = depth;
        return left;
    }

    private CelNode Relation()
    {
        var left = Addition();
        var depth = _depth;
        while (true)
        {
            var at = Peek.Position;
            if (Peek.Kind == CelTokenKind.Identifier && Peek.Text == "in")
            {
                _at++;
                Nest();
                left = new CelCall(null, "@in", [left, Addition()]) { Position = at };
                continue;
            }

            var op = Peek.Kind == CelTokenKind.Punct && Peek.Text is "<" or "<=" or ">" or ">=" or "==" or "!=" ? Next().Text : null;
            if (op is null)
            {
                _depth = depth;
                return left;
            }

            Nest();
            left = new CelCall(null, $"_{op}_", [left, Addition()]) { Position = at };
        }
    }

    private CelNode Addition()
    {
        var left = Multiplication();
        var depth = _depth;
        while (Peek.Kind == CelTokenKind.Punct && Peek.Text is "+" or "-")
        {
            var at = Peek.Position;
            var op = Next().Text;
            Nest();
            left = new CelCall(null, $"_{op}_", [left, Multiplication()]) { Position = at };
        }

        _depth = depth;
        return left;
    }

    private CelNode Multiplication()
    {
        var left = Unary();
        var depth = _depth;
        while (Peek.Kind == CelTokenKind.Punct && Peek.Text is "*" or "/" or "%")
        {
            var at = Peek.Position;
            var op = Next().Text;
            Nest();
            left = new CelCall(null, $"_{op}_", [left, Unary()]) { Position = at };
        }

        _depth = depth;
        return left;
    }

    private CelNode Unary()
    {
        var at = Peek.Position;
        if (Accept("!"))
        {
            Nest();
            var operand = Unary();
            _depth--;
            return new CelCall(null, "!_", [operand]) { Position = at };
        }

        if (Accept("-"))
        {
            // A negated integer literal may be -2^63, which has no positive int form.
            if (Peek.Kind == CelTokenKind.Int)
            {
                var magnitude = (ulong)Next().Value!;
                if (magnitude > 9223372036854775808UL)
                {
                    throw Error("int literal out of range");
                }

                return Member(new CelLiteral(magnitude == 9223372036854775808UL ? long.MinValue : -(long)magnitude) { Position = at });
            }

            Nest();
            var negated = Unary();
            _depth--;
            return new CelCall(null, "-_", [negated]) { Position = at };
        }

        return Member(Primary());
    }

    private CelNode Member(CelNode node)
    {
        var depth = _depth;
        while (true)
        {
            var at = Peek.Position;
            if (Accept(".") || IsPunct(".?"))
            {
                Nest();
                var optional = Accept(".?");
                var name = Identifier();
                if (!optional && Accept("("))
                {
                    node = Method(node, name, Arguments(")"), at);
                }
                else
                {
                    node = new CelSelect(node, name, optional) { Position = at };
                }
            }
            else if (Accept("[") || IsPunct("[?"))
            {
                Nest();
                var optional = Accept("[?");
                var index = Expression();
                Expect("]");
                node = new CelIndex(node, index, optional) { Position = at };
            }
            else
            {
                _depth = depth;
                return node;
            }
        }
    }

    private CelNode Primary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case CelTokenKind.Int:
                var value = (ulong)token.Value!;
                return value > long.MaxValue ? throw Error("int literal out of range") : new CelLiteral((long)value) { Position = token.Position };
            case CelTokenKind.Uint:
                return new CelLiteral((ulong)token.Value!) { Position = token.Position };
            case CelTokenKind.Double:
                return new CelLiteral((double)token.Value!) { Position = token.Position };
            case CelTokenKind.String:
                return new CelLiteral((string)token.Value!) { Position = token.Position };
            case CelTokenKind.Identifier:
                return IdentifierOrCall(token.Text, token.Position);
            case CelTokenKind.Punct when token.Text == ".":
                return IdentifierOrCall(Identifier(), token.Position + 1);
            case CelTokenKind.Punct when token.Text == "(":
                var inner = Expression();
                Expect(")");
                return inner;
            case CelTokenKind.Punct when token.Text == "[":
                return new CelList(Arguments("]")) { Position = token.Position };
            case CelTokenKind.Punct when token.Text == "{":
                return MapLiteral() with { Position = token.Position };
            default:
                _at--;
                throw Error(token.Kind == CelTokenKind.End ? "unexpected end of expression" : $"unexpected '{token.Text}'");
        }
    }

    private CelNode IdentifierOrCall(string name, int at)
    {
        switch (name)
        {
            case "true":
                return new CelLiteral(true) { Position = at };
            case "false":
                return new CelLiteral(false) { Position = at };
            case "null":
                return new CelLiteral(null) { Position = at };
        }

        if (Reserved.Contains(name) || name == "in")
        {
            throw Error($"reserved identifier: {name}");
        }

        if (!Accept("("))
        {
            return new CelIdent(name) { Position = at };
        }

        var args = Arguments(")");
        if (name == "has")
        {
            return args is [CelSelect select] && !select.Optional
                ? select with { Test = true }
                : throw Error("invalid argument to has() macro");
        }

        return new CelCall(null, name, args) { Position = at };
    }

    private CelNode Method(CelNode target, string name, IReadOnlyList<CelNode> args, int at)
    {
        if (target is CelIdent { Name: "cel" } && name == "bind" && args.Count == 3)
        {
            return new CelBind(Variable(args[0]), args[1], args[2]) { Position = at };
        }

        switch (name, args.Count)
        {
            case ("all" or "exists" or "exists_one" or "filter", 2):
            case ("map", 2):
                return new CelComprehension(name, target, Variable(args[0]), args[1]) { Position = at };
            case ("map", 3):
                return new CelComprehension(name, target, Variable(args[0]), args[2], args[1]) { Position = at };
            default:
                return new CelCall(target, name, args) { Position = at };
        }
    }

    private string Variable(CelNode node) =>
        node is CelIdent ident ? ident.Name : throw Error("argument is not an identifier");

    private IReadOnlyList<CelNode> Arguments(string close)
    {
        var args = new List<CelNode>();
        while (!Accept(close))
        {
            args.Add(Expression());
            if (!Accept(","))
            {
                Expect(close);
                break;
            }
        }

        return args;
    }

    private CelNode MapLiteral()
    {
        var entries = new List<(CelNode, CelNode)>();
        while (!Accept("}"))
        {
            var key = Expression();
            Expect(":");
            entries.Add((key, Expression()));
            if (!Accept(","))
            {
                Expect("}");
                break;
            }
        }

        return new CelMap(entries);
    }

    private string Identifier() =>
        Peek.Kind == CelTokenKind.Identifier ? Next().Text : throw Error($"expected an identifier but found '{Peek.Text}'");
}
