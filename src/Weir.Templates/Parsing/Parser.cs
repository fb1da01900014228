using Weir.Templates.Formatting;
using Weir.Templates.Functions;

namespace Weir.Templates.Parsing;

/// <summary>
/// Builds trees from tokens with the grammar of Go's text/template/parse (as of Go 1.23: <c>else with</c> is
/// accepted). One call parses one text, which may define several named templates. Functions are looked up
/// here, once, so execution never searches for them.
/// </summary>
internal sealed class Parser
{
    private const int MaxNesting = 10_000;

    private readonly List<Token> tokens;
    private readonly FunctionTable functions;
    private readonly SourceText source;
    private readonly Dictionary<string, ParsedTree> treeSet;
    private int index;
    private int actionLine;
    private int depth;

    // Per tree being parsed.
    private List<string> vars = ["$"];
    private int maxVars = 1;
    private int rangeDepth;
    private string treeName;

    private Parser(string name, string text, FunctionTable functions, Dictionary<string, ParsedTree> treeSet)
    {
        tokens = Lexer.Tokenize(text);
        this.functions = functions;
        source = new SourceText(name, text);
        this.treeSet = treeSet;
        treeName = name;
    }

    /// <summary>Parses text named <paramref name="name"/>; returns every tree it defines (the top level under its own name).</summary>
    public static Dictionary<string, ParsedTree> Parse(string name, string text, FunctionTable functions)
    {
        var set = new Dictionary<string, ParsedTree>(StringComparer.Ordinal);
        var parser = new Parser(name, text, functions, set);
        StackHop.Run(() =>
        {
            parser.ParseTop();
            return 0;
        });
        return set;
    }

    private Token Current => tokens[Math.Max(0, index - 1)];

    private Token Next()
    {
        var t = tokens[Math.Min(index, tokens.Count - 1)];
        index++;
        return t;
    }

    private void Backup() => index--;

    private Token Peek() => tokens[Math.Min(index, tokens.Count - 1)];

    private Token NextNonSpace()
    {
        Token t;
        do
        {
            t = Next();
        }
        while (t.Type == TokenType.Space);
        return t;
    }

    private Token PeekNonSpace()
    {
        var save = index;
        var t = NextNonSpace();
        index = save;
        return t;
    }

    private TemplateException Error(string message) =>
        new($"template: {source.ParseName}:{Current.Line}: {message}");

    private TemplateException Unexpected(Token token, string context)
    {
        if (token.Type == TokenType.Error)
        {
            var extra = "";
            if (actionLine != 0 && actionLine != token.Line)
            {
                extra = $" in action started at {source.ParseName}:{actionLine}";
                if (token.Value.EndsWith(" action", StringComparison.Ordinal))
                {
                    extra = extra[" in action".Length..];
                }
            }

            return Error(token.Value + extra);
        }

        return Error($"unexpected {token} in {context}");
    }

    private Token Expect(TokenType expected, string context)
    {
        var t = NextNonSpace();
        if (t.Type != expected)
        {
            throw Unexpected(t, context);
        }

        return t;
    }

    private void StartTree(string name)
    {
        treeName = name;
        vars = ["$"];
        maxVars = 1;
        rangeDepth = 0;
    }

    private void AddTree(string name, ListNode root)
    {
        var tree = new ParsedTree(name, root.Freeze(), source, maxVars);
        if (!treeSet.TryGetValue(name, out var existing) || existing.IsEmpty)
        {
            treeSet[name] = tree;
            return;
        }

        if (!tree.IsEmpty)
        {
            throw Error($"template: multiple definition of template \"{name}\"");
        }
    }

    private void ParseTop()
    {
        var root = new ListNode(Peek().Pos, source);
        StartTree(source.ParseName);
        while (Peek().Type != TokenType.Eof)
        {
            if (Peek().Type == TokenType.LeftDelim)
            {
                var save = index;
                Next();
                if (NextNonSpace().Type == TokenType.Define)
                {
                    var (outerVars, outerMax, outerName) = (vars, maxVars, treeName);
                    ParseDefinition();
                    (vars, maxVars, treeName) = (outerVars, outerMax, outerName);
                    continue;
                }

                index = save;
            }

            var n = TextOrAction();
            if (n.Kind is NodeKind.End or NodeKind.Else)
            {
                throw Error($"unexpected {n}");
            }

            root.Append(n);
        }

        AddTree(source.ParseName, root);
    }

    private void ParseDefinition()
    {
        const string context = "define clause";
        var nameToken = NextNonSpace();
        if (nameToken.Type is not (TokenType.String or TokenType.RawString))
        {
            throw Unexpected(nameToken, context);
        }

        if (!GoStrconv.TryUnquote(nameToken.Value, out var name))
        {
            throw Error("invalid syntax");
        }

        Expect(TokenType.RightDelim, context);
        StartTree(name);
        var (list, end) = ItemList();
        if (end.Kind != NodeKind.End)
        {
            throw Error($"unexpected {end} in {context}");
        }

        AddTree(name, list);
    }

    private (ListNode List, Node Next) ItemList()
    {
        var list = new ListNode(PeekNonSpace().Pos, source);
        while (PeekNonSpace().Type != TokenType.Eof)
        {
            var n = TextOrAction();
            if (n.Kind is NodeKind.End or NodeKind.Else)
            {
                list.Freeze();
                return (list, n);
            }

            list.Append(n);
        }

        throw Error("unexpected EOF");
    }

    private Node TextOrAction()
    {
        var token = NextNonSpace();
        switch (token.Type)
        {
            case TokenType.Text:
                return new TextNode(token.Pos, source, token.Value);
            case TokenType.LeftDelim:
                actionLine = token.Line;
                try
                {
                    return Action();
                }
                finally
                {
                    actionLine = 0;
                }

            case TokenType.Comment:
                return new CommentNode(token.Pos, source, token.Value);
            default:
                throw Unexpected(token, "input");
        }
    }

    private Node Action()
    {
        var token = NextNonSpace();
        switch (token.Type)
        {
            case TokenType.Block:
                return BlockControl();
            case TokenType.Break:
                return BreakControl(token, false);
            case TokenType.Continue:
                return BreakControl(token, true);
            case TokenType.Else:
                return ElseControl();
            case TokenType.End:
                return new MarkerNode(NodeKind.End, Expect(TokenType.RightDelim, "end").Pos, source);
            case TokenType.If:
                return Control(NodeKind.If, "if");
            case TokenType.Range:
                return Control(NodeKind.Range, "range");
            case TokenType.Template:
                return TemplateControl();
            case TokenType.With:
                return Control(NodeKind.With, "with");
        }

        Backup();
        var t = Peek();
        return new ActionNode(t.Pos, source, t.Line, Pipeline("command", TokenType.RightDelim));
    }

    private Node BreakControl(Token token, bool isContinue)
    {
        var name = isContinue ? "{{continue}}" : "{{break}}";
        var next = NextNonSpace();
        if (next.Type != TokenType.RightDelim)
        {
            throw Unexpected(next, name);
        }

        if (rangeDepth == 0)
        {
            throw Error($"{name} outside {{{{range}}}}");
        }

        return new BreakNode(token.Pos, source, isContinue);
    }

    private Node ElseControl()
    {
        var peek = PeekNonSpace();
        if (peek.Type is TokenType.If or TokenType.With)
        {
            while (Peek().Type == TokenType.Space)
            {
                Next();
            }

            return new MarkerNode(NodeKind.Else, peek.Pos, source);
        }

        var token = Expect(TokenType.RightDelim, "else");
        return new MarkerNode(NodeKind.Else, token.Pos, source);
    }

    private Node Control(NodeKind kind, string context)
    {
        if (++depth > MaxNesting)
        {
            throw Error("template nested too deeply");
        }

        var mark = vars.Count;
        try
        {
            var pipe = Pipeline(context, TokenType.RightDelim);
            if (kind == NodeKind.Range)
            {
                rangeDepth++;
            }

            var (list, next) = StackHop.Guard(ItemList);
            if (kind == NodeKind.Range)
            {
                rangeDepth--;
            }

            ListNode? elseList = null;
            if (next.Kind == NodeKind.Else)
            {
                var p = Peek();
                if ((kind == NodeKind.If && p.Type == TokenType.If) || (kind == NodeKind.With && p.Type == TokenType.With))
                {
                    Next();
                    elseList = new ListNode(next.Pos, source);
                    elseList.Append(Control(kind, context));
                    elseList.Freeze();
                }
                else
                {
                    (elseList, next) = StackHop.Guard(ItemList);
                    if (next.Kind != NodeKind.End)
                    {
                        throw Error($"expected end; found {next}");
                    }
                }
            }

            return new BranchNode(kind, pipe.Pos, source, pipe.Line, pipe, list, elseList);
        }
        finally
        {
            vars.RemoveRange(mark, vars.Count - mark);
            depth--;
        }
    }

    private Node BlockControl()
    {
        const string context = "block clause";
        var token = NextNonSpace();
        var name = TemplateName(token, context);
        var pipe = Pipeline(context, TokenType.RightDelim);
        var (outerVars, outerMax, outerName, outerRange) = (vars, maxVars, treeName, rangeDepth);
        StartTree(name);
        var (list, end) = ItemList();
        if (end.Kind != NodeKind.End)
        {
            throw Error($"unexpected {end} in {context}");
        }

        AddTree(name, list);
        (vars, maxVars, treeName, rangeDepth) = (outerVars, outerMax, outerName, outerRange);
        return new TemplateNode(token.Pos, source, token.Line, name, pipe);
    }

    private Node TemplateControl()
    {
        const string context = "template clause";
        var token = NextNonSpace();
        var name = TemplateName(token, context);
        PipeNode? pipe = null;
        if (NextNonSpace().Type != TokenType.RightDelim)
        {
            Backup();
            pipe = Pipeline(context, TokenType.RightDelim);
        }

        return new TemplateNode(token.Pos, source, token.Line, name, pipe);
    }

    private string TemplateName(Token token, string context)
    {
        if (token.Type is TokenType.String or TokenType.RawString)
        {
            if (!GoStrconv.TryUnquote(token.Value, out var s))
            {
                throw Error("invalid syntax");
            }

            return s;
        }

        throw Unexpected(token, context);
    }

    private int Declare(VariableNode v)
    {
        var slot = vars.Count;
        vars.Add(v.Ident[0]);
        maxVars = Math.Max(maxVars, vars.Count);
        v.DeclSlot = slot;
        return slot;
    }

    private PipeNode Pipeline(string context, TokenType end)
    {
        var first = PeekNonSpace();
        var pipe = new PipeNode(first.Pos, source, first.Line);
    decls:
        var v = PeekNonSpace();
        if (v.Type == TokenType.Variable)
        {
            while (Peek().Type == TokenType.Space)
            {
                Next();
            }

            var variableIndex = index;
            Next();
            var next = PeekNonSpace();
            if (next.Type is TokenType.Assign or TokenType.Declare)
            {
                pipe.IsAssign = next.Type == TokenType.Assign;
                NextNonSpace();
                var variable = new VariableNode(v.Pos, source, v.Value.Split('.'));
                if (pipe.IsAssign)
                {
                    // Go resolves an assignment when it runs; the name counts as declared from here on.
                    variable.Slots = FindSlots(v.Value);
                    vars.Add(v.Value);
                    maxVars = Math.Max(maxVars, vars.Count);
                }
                else
                {
                    Declare(variable);
                }

                pipe.Decl.Add(variable);
            }
            else if (next.Type == TokenType.Char && next.Value == ",")
            {
                NextNonSpace();
                var variable = new VariableNode(v.Pos, source, v.Value.Split('.'));
                Declare(variable);
                pipe.Decl.Add(variable);
                if (context == "range" && pipe.Decl.Count < 2)
                {
                    switch (PeekNonSpace().Type)
                    {
                        case TokenType.Variable or TokenType.RightDelim or TokenType.RightParen:
                            goto decls;
                        default:
                            throw Error("range can only initialize variables");
                    }
                }

                throw Error($"too many declarations in {context}");
            }
            else
            {
                index = variableIndex;
            }
        }

        while (true)
        {
            var token = NextNonSpace();
            if (token.Type == end)
            {
                pipe.Freeze();
                CheckPipeline(pipe, context);
                return pipe;
            }

            switch (token.Type)
            {
                case TokenType.Bool or TokenType.CharConstant or TokenType.Complex or TokenType.Dot or TokenType.Field
                    or TokenType.Identifier or TokenType.Number or TokenType.Nil or TokenType.RawString or TokenType.String
                    or TokenType.Variable or TokenType.LeftParen:
                    Backup();
                    pipe.Append(Command());
                    break;
                default:
                    throw Unexpected(token, context);
            }
        }
    }

    private void CheckPipeline(PipeNode pipe, string context)
    {
        if (pipe.Cmds.Length == 0)
        {
            throw Error($"missing value for {context}");
        }

        for (var i = 1; i < pipe.Cmds.Length; i++)
        {
            if (pipe.Cmds[i].Args[0].Kind is NodeKind.Bool or NodeKind.Dot or NodeKind.Nil or NodeKind.Number or NodeKind.String)
            {
                throw Error($"non executable command in pipeline stage {i + 1}");
            }
        }
    }

    private CommandNode Command()
    {
        var cmd = new CommandNode(PeekNonSpace().Pos, source);
        while (true)
        {
            PeekNonSpace();
            var operand = Operand();
            if (operand is not null)
            {
                cmd.Append(operand);
            }

            var token = Next();
            switch (token.Type)
            {
                case TokenType.Space:
                    continue;
                case TokenType.RightDelim or TokenType.RightParen:
                    Backup();
                    break;
                case TokenType.Pipe:
                    break;
                default:
                    throw Unexpected(token, "operand");
            }

            break;
        }

        if (cmd.Count == 0)
        {
            throw Error("empty command");
        }

        cmd.Freeze();
        return cmd;
    }

    private Node? Operand()
    {
        var node = Term();
        if (node is null)
        {
            return null;
        }

        if (Peek().Type == TokenType.Field)
        {
            var chain = new ChainNode(Peek().Pos, source, node);
            while (Peek().Type == TokenType.Field)
            {
                chain.Field.Add(Next().Value[1..]);
            }

            chain.Freeze();
            switch (node.Kind)
            {
                case NodeKind.Field:
                    return new FieldNode(chain.Pos, source, chain.ToString()[1..].Split('.'));
                case NodeKind.Variable:
                    var v = (VariableNode)node;
                    var full = new VariableNode(chain.Pos, source, chain.ToString().Split('.')) { Slots = v.Slots };
                    return full;
                case NodeKind.Bool or NodeKind.String or NodeKind.Number or NodeKind.Nil or NodeKind.Dot:
                    throw Error($"unexpected . after term {GoQuote.Quote(node.ToString())}");
                default:
                    return chain;
            }
        }

        return node;
    }

    private Node? Term()
    {
        var token = NextNonSpace();
        switch (token.Type)
        {
            case TokenType.Identifier:
                var fn = functions.Find(token.Value) ?? throw Error($"function {GoQuote.Quote(token.Value)} not defined");
                return new IdentifierNode(token.Pos, source, token.Value, fn);
            case TokenType.Dot:
                return new DotNode(token.Pos, source);
            case TokenType.Nil:
                return new NilNode(token.Pos, source);
            case TokenType.Variable:
                var v = new VariableNode(token.Pos, source, token.Value.Split('.'));
                ResolveUse(v);
                return v;
            case TokenType.Field:
                return new FieldNode(token.Pos, source, token.Value[1..].Split('.'));
            case TokenType.Bool:
                return new BoolNode(token.Pos, source, token.Value == "true");
            case TokenType.CharConstant or TokenType.Complex or TokenType.Number:
                return NumberLiterals.Parse(token, source) is { } n ? n : throw Error(NumberLiterals.LastError);
            case TokenType.LeftParen:
                if (++depth > MaxNesting)
                {
                    throw Error("template nested too deeply");
                }

                try
                {
                    return StackHop.Guard(() => Pipeline("parenthesized pipeline", TokenType.RightParen));
                }
                finally
                {
                    depth--;
                }

            case TokenType.String or TokenType.RawString:
                if (!GoStrconv.TryUnquote(token.Value, out var s))
                {
                    throw Error("invalid syntax");
                }

                return new StringNode(token.Pos, source, token.Value, s);
        }

        Backup();
        return null;
    }

    private void ResolveUse(VariableNode v)
    {
        var name = v.Ident[0];
        v.Slots = FindSlots(name);
        if (v.Slots.Length == 0)
        {
            throw Error($"undefined variable {GoQuote.Quote(name)}");
        }
    }

    private int[] FindSlots(string name)
    {
        var slots = new List<int>();
        for (var i = vars.Count - 1; i >= 0; i--)
        {
            if (vars[i] == name)
            {
                slots.Add(i);
            }
        }

        return [.. slots];
    }
}
