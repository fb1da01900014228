namespace Weir.Kustomize.Flux.Envsubst;

/// <summary>
/// drone/envsubst's grammar: text with <c>$$</c> for <c>$</c>, and <c>${…}</c> expansions — a name, optionally
/// followed by an operator (<c>:=</c> <c>:-</c> <c>:?</c> <c>:+</c> <c>=</c>, <c>:pos</c>, <c>:pos:len</c>, <c>^</c>
/// <c>^^</c> <c>,</c> <c>,,</c>, <c>#</c> <c>##</c> <c>%</c> <c>%%</c>, <c>/</c> <c>//</c> <c>/#</c> <c>/%</c>) whose
/// arguments may hold nested expansions; or <c>${#name}</c>. Errors carry the library's texts.
/// </summary>
internal sealed class EnvsubstParser
{
    public const string BadSubstitution = "bad substitution";
    public const string MissingClosingBrace = "missing closing brace";
    public const string BadVariableName = "unable to parse variable name";
    public const string BadFunctionArgument = "unable to parse substitution within function";
    public const string BadDefaultFunction = "unable to parse default function";

    private readonly EnvsubstScanner scanner;

    private EnvsubstParser(string text) => scanner = new EnvsubstScanner(Utf8Text.Bytes(text));

    /// <exception cref="EnvsubstException">The text is not a valid template.</exception>
    public static IReadOnlyList<EnvsubstNode> Parse(string text) => new EnvsubstParser(text).ParseTemplate();

    private List<EnvsubstNode> ParseTemplate()
    {
        var nodes = new List<EnvsubstNode>();
        while (true)
        {
            scanner.Accept = static (_, _) => true;
            scanner.Modes = ScanModes.Text | ScanModes.Open | ScanModes.Escapes;
            scanner.Escapes = EscapeSet.Dollar;
            switch (scanner.Scan())
            {
                case EnvsubstToken.Text:
                    nodes.Add(new TextNode(scanner.Token));
                    break;
                case EnvsubstToken.End:
                    return nodes;
                case EnvsubstToken.Open:
                    nodes.Add(ParseExpansion());
                    break;
                default:
                    throw new EnvsubstException(BadSubstitution);
            }
        }
    }

    private ExpansionNode ParseExpansion()
    {
        scanner.Escapes = EscapeSet.All;
        if (scanner.Peek() == '#')
        {
            return ParseLength();
        }

        scanner.Accept = IsNameRune;
        scanner.Modes = ScanModes.Text;
        if (scanner.Scan() != EnvsubstToken.Text)
        {
            throw new EnvsubstException(BadVariableName);
        }

        var name = Utf8Text.String(scanner.Token);
        switch (scanner.Peek())
        {
            case ':':
                return ParseColonOperator(name);
            case '=':
                return ParseDefault(name);
            case ',' or '^':
                return ParseOperatorOnly(name, static (r, i) => r is ',' or '^' && i < 3);
            case '/':
                return ParseReplace(name);
            case '#':
                return ParseRemove(name, static (r, i) => r == '#' && i < 3);
            case '%':
                return ParseRemove(name, static (r, i) => r == '%' && i < 3);
        }

        scanner.Modes = ScanModes.Close;
        return scanner.Scan() == EnvsubstToken.Close
            ? new ExpansionNode(name, "", [])
            : throw new EnvsubstException(MissingClosingBrace);
    }

    /// <summary>An argument: text the accept function allows, or a nested expansion.</summary>
    private EnvsubstNode ParseArgument(Func<int, int, bool> accept, ScanModes modes)
    {
        scanner.Accept = accept;
        scanner.Modes = modes | ScanModes.Open;
        return scanner.Scan() switch
        {
            EnvsubstToken.Open => ParseExpansion(),
            EnvsubstToken.Text or EnvsubstToken.Close => new TextNode(scanner.Token),
            _ => throw new EnvsubstException(BadFunctionArgument),
        };
    }

    /// <summary>After <c>name:</c>, one of <c>= - ? +</c> makes a default operator, anything else a substring.</summary>
    private ExpansionNode ParseColonOperator(string name)
    {
        scanner.Read();
        var next = scanner.Peek();
        scanner.Unread();
        return next is '=' or '-' or '?' or '+' ? ParseDefault(name) : ParseSubstring(name);
    }

    private ExpansionNode ParseSubstring(string name)
    {
        var op = ScanOperator(static (r, i) => i == 1 && r == ':', BadSubstitution);
        var args = new List<EnvsubstNode> { ParseArgument(static (r, _) => r is not (':' or '}'), ScanModes.Text) };

        scanner.Accept = static (r, _) => r == ':';
        scanner.Modes = ScanModes.Text | ScanModes.Close;
        switch (scanner.Scan())
        {
            case EnvsubstToken.Close:
                return new ExpansionNode(name, op, args);
            case EnvsubstToken.Text:
                break;
            default:
                throw new EnvsubstException(BadSubstitution);
        }

        args.Add(ParseArgument(NotClosing, ScanModes.Text));
        ExpectClose();
        return new ExpansionNode(name, op, args);
    }

    private ExpansionNode ParseRemove(string name, Func<int, int, bool> accept)
    {
        var op = ScanOperator(accept, BadSubstitution);
        var pattern = ParseArgument(NotClosing, ScanModes.Text);
        ExpectClose();
        return new ExpansionNode(name, op, [pattern]);
    }

    private ExpansionNode ParseReplace(string name)
    {
        var op = ScanOperator(static (r, i) => (i == 1 && r == '/') || (i == 2 && r is '/' or '#' or '%'), BadSubstitution);
        var args = new List<EnvsubstNode> { ParseArgument(static (r, _) => r != '/', ScanModes.Text | ScanModes.Escapes) };

        scanner.Accept = static (r, _) => r == '/';
        scanner.Modes = ScanModes.Text;
        if (scanner.Scan() != EnvsubstToken.Text)
        {
            throw new EnvsubstException(BadSubstitution);
        }

        if (scanner.Peek() != '}')
        {
            args.Add(ParseArgument(NotClosing, ScanModes.Text | ScanModes.Escapes));
        }

        ExpectClose();
        return new ExpansionNode(name, op, args);
    }

    private ExpansionNode ParseDefault(string name)
    {
        var op = ScanOperator(
            scanner.Peek() == '='
                ? static (r, i) => i == 1 && r == '='
                : static (r, i) => (i == 1 && r == ':') || (i == 2 && r is '=' or '-' or '?' or '+'),
            BadDefaultFunction);
        var args = new List<EnvsubstNode>();
        while (scanner.Peek() != '}')
        {
            args.Add(ParseArgument(NotClosing, ScanModes.Text));
        }

        ExpectClose();
        return new ExpansionNode(name, op, args);
    }

    private ExpansionNode ParseOperatorOnly(string name, Func<int, int, bool> accept)
    {
        var op = ScanOperator(accept, BadSubstitution);
        ExpectClose();
        return new ExpansionNode(name, op, []);
    }

    private ExpansionNode ParseLength()
    {
        var op = ScanOperator(static (r, i) => r == '#' && i == 1, BadSubstitution);
        scanner.Accept = IsNameRune;
        scanner.Modes = ScanModes.Text;
        if (scanner.Scan() != EnvsubstToken.Text)
        {
            throw new EnvsubstException(BadSubstitution);
        }

        var name = Utf8Text.String(scanner.Token);
        ExpectClose();
        return new ExpansionNode(name, op, []);
    }

    private string ScanOperator(Func<int, int, bool> accept, string error)
    {
        scanner.Accept = accept;
        scanner.Modes = ScanModes.Text;
        return scanner.Scan() == EnvsubstToken.Text ? Utf8Text.String(scanner.Token) : throw new EnvsubstException(error);
    }

    private void ExpectClose()
    {
        scanner.Modes = ScanModes.Close;
        if (scanner.Scan() != EnvsubstToken.Close)
        {
            throw new EnvsubstException(BadSubstitution);
        }
    }

    private static bool NotClosing(int r, int i) => r != '}';

    /// <summary>Go's <c>unicode.IsLetter || unicode.IsDigit || '_'</c>.</summary>
    private static bool IsNameRune(int r, int i) =>
        r == '_' || (System.Text.Rune.IsValid(r) && (System.Text.Rune.IsLetter(new System.Text.Rune(r)) || System.Text.Rune.IsDigit(new System.Text.Rune(r))));
}
