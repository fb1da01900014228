using System.Text;

namespace Weir.Templates.Parsing;

/// <summary>
/// Splits template text into tokens with the rules of Go's text/template/parse lexer: text, actions between
/// <c>{{</c> and <c>}}</c>, trim markers (<c>{{- </c> and <c> -}}</c>), comments, and the lexemes inside actions.
/// </summary>
internal sealed class Lexer
{
    private const string LeftDelim = "{{";
    private const string RightDelim = "}}";
    private const string LeftComment = "/*";
    private const string RightComment = "*/";

    private readonly string input;
    private readonly List<Token> tokens = [];
    private int pos;
    private int start;
    private int line = 1;
    private int startLine = 1;
    private int parenDepth;

    private Lexer(string input) => this.input = input;

    public static List<Token> Tokenize(string input)
    {
        var lexer = new Lexer(input);
        lexer.Run();
        return lexer.tokens;
    }

    private void Run()
    {
        var inside = false;
        while (true)
        {
            bool? next = inside ? LexInsideAction() : LexText();
            if (next is null)
            {
                return;
            }

            inside = next.Value;
        }
    }

    private int Peek() => pos < input.Length ? input[pos] : -1;

    private void Emit(TokenType type)
    {
        tokens.Add(new Token(type, start, input[start..pos], startLine));
        start = pos;
        startLine = line;
    }

    private void Ignore()
    {
        line += Count(input, start, pos, '\n');
        start = pos;
        startLine = line;
    }

    private bool? Error(string message)
    {
        tokens.Add(new Token(TokenType.Error, start, message, startLine));
        return null;
    }

    private static int Count(string s, int from, int to, char c)
    {
        var n = 0;
        for (var i = from; i < to; i++)
        {
            if (s[i] == c)
            {
                n++;
            }
        }

        return n;
    }

    private static bool IsSpace(int c) => c is ' ' or '\t' or '\r' or '\n';

    private bool HasLeftTrimMarker(int at) => at + 1 < input.Length && input[at] == '-' && IsSpace(input[at + 1]);

    private bool HasRightTrimMarker(int at) => at + 1 < input.Length && IsSpace(input[at]) && input[at + 1] == '-';

    private bool StartsWith(int at, string s) => at <= input.Length && string.CompareOrdinal(input, at, s, 0, s.Length) == 0 && at + s.Length <= input.Length;

    // Returns true when the next state is "inside action", false for text, null at the end.
    private bool? LexText()
    {
        var x = input.IndexOf(LeftDelim, pos, StringComparison.Ordinal);
        if (x >= 0)
        {
            pos = x;
            var trim = 0;
            if (HasLeftTrimMarker(pos + LeftDelim.Length))
            {
                var j = pos;
                while (j > start && IsSpace(input[j - 1]))
                {
                    j--;
                }

                trim = pos - j;
            }

            pos -= trim;
            if (pos > start)
            {
                line += Count(input, start, pos, '\n');
                Emit(TokenType.Text);
            }

            pos += trim;
            Ignore();
            return LexLeftDelim();
        }

        pos = input.Length;
        if (pos > start)
        {
            line += Count(input, start, pos, '\n');
            Emit(TokenType.Text);
        }

        Emit(TokenType.Eof);
        return null;
    }

    private bool? LexLeftDelim()
    {
        pos += LeftDelim.Length;
        var trimSpace = HasLeftTrimMarker(pos);
        var afterMarker = trimSpace ? 2 : 0;
        if (StartsWith(pos + afterMarker, LeftComment))
        {
            pos += afterMarker;
            Ignore();
            return LexComment();
        }

        Emit(TokenType.LeftDelim);
        pos += afterMarker;
        Ignore();
        parenDepth = 0;
        return true;
    }

    private (bool Delim, bool Trim) AtRightDelim()
    {
        if (HasRightTrimMarker(pos) && StartsWith(pos + 2, RightDelim))
        {
            return (true, true);
        }

        return StartsWith(pos, RightDelim) ? (true, false) : (false, false);
    }

    private bool? LexComment()
    {
        pos += LeftComment.Length;
        var i = input.IndexOf(RightComment, pos, StringComparison.Ordinal);
        if (i < 0)
        {
            return Error("unclosed comment");
        }

        pos = i + RightComment.Length;
        var (delim, trimSpace) = AtRightDelim();
        if (!delim)
        {
            return Error("comment ends before closing delimiter");
        }

        if (trimSpace)
        {
            pos += 2;
        }

        pos += RightDelim.Length;
        if (trimSpace)
        {
            while (pos < input.Length && IsSpace(input[pos]))
            {
                pos++;
            }
        }

        Ignore();
        return false;
    }

    private bool? LexRightDelim()
    {
        var trimSpace = HasRightTrimMarker(pos);
        if (trimSpace)
        {
            pos += 2;
            Ignore();
        }

        pos += RightDelim.Length;
        Emit(TokenType.RightDelim);
        if (trimSpace)
        {
            while (pos < input.Length && IsSpace(input[pos]))
            {
                pos++;
            }

            Ignore();
        }

        return false;
    }

    private bool? LexInsideAction()
    {
        var (delim, _) = AtRightDelim();
        if (delim)
        {
            if (parenDepth == 0)
            {
                return LexRightDelim();
            }

            return Error("unclosed left paren");
        }

        if (pos >= input.Length)
        {
            return Error("unclosed action");
        }

        var r = ReadRune(pos, out var width);
        var c = input[pos];
        if (IsSpace(c))
        {
            return LexSpace();
        }

        pos += width;
        if (c == '\n')
        {
            line++;
        }

        switch (c)
        {
            case '=':
                Emit(TokenType.Assign);
                return true;
            case ':':
                if (Peek() != '=')
                {
                    if (pos < input.Length)
                    {
                        pos++;
                    }

                    return Error("expected :=");
                }

                pos++;
                Emit(TokenType.Declare);
                return true;
            case '|':
                Emit(TokenType.Pipe);
                return true;
            case '"':
                return LexQuote();
            case '`':
                return LexRawQuote();
            case '$':
                return LexVariable();
            case '\'':
                return LexChar();
            case '.':
                if (pos < input.Length && (input[pos] < '0' || input[pos] > '9'))
                {
                    return LexFieldOrVariable(TokenType.Field);
                }

                pos--;
                return LexNumber();
            case '(':
                Emit(TokenType.LeftParen);
                parenDepth++;
                return true;
            case ')':
                Emit(TokenType.RightParen);
                parenDepth--;
                if (parenDepth < 0)
                {
                    return Error("unexpected right paren U+0029 ')'");
                }

                return true;
        }

        if (c is '+' or '-' || (c >= '0' && c <= '9'))
        {
            pos--;
            return LexNumber();
        }

        if (IsAlphaNumeric(r))
        {
            pos -= width;
            return LexIdentifier();
        }

        if (r <= 0x7F && r >= 0x20 && r != 0x7F)
        {
            Emit(TokenType.Char);
            return true;
        }

        return Error("unrecognized character in action: " + Formatting.GoQuote.UnicodeName(r));
    }

    private int ReadRune(int at, out int width)
    {
        if (at >= input.Length)
        {
            width = 0;
            return -1;
        }

        if (Rune.DecodeFromUtf16(input.AsSpan(at), out var rune, out width) == System.Buffers.OperationStatus.Done)
        {
            return rune.Value;
        }

        width = 1;
        return 0xFFFD;
    }

    private static bool IsAlphaNumeric(int r) =>
        r == '_' || (r >= 0 && Rune.IsValid(r) && (Rune.IsLetter(new Rune(r)) || Rune.GetUnicodeCategory(new Rune(r)) == System.Globalization.UnicodeCategory.DecimalDigitNumber));

    private bool? LexSpace()
    {
        var numSpaces = 0;
        while (pos < input.Length && IsSpace(input[pos]))
        {
            if (input[pos] == '\n')
            {
                line++;
            }

            pos++;
            numSpaces++;
        }

        if (HasRightTrimMarker(pos - 1) && StartsWith(pos - 1 + 2, RightDelim))
        {
            pos--;
            if (input[pos] == '\n')
            {
                line--;
            }

            if (numSpaces == 1)
            {
                return LexRightDelim();
            }
        }

        Emit(TokenType.Space);
        return true;
    }

    private bool? LexIdentifier()
    {
        while (true)
        {
            var r = ReadRune(pos, out var w);
            if (r >= 0 && IsAlphaNumeric(r))
            {
                pos += w;
                continue;
            }

            var word = input[start..pos];
            if (!AtTerminator())
            {
                return Error("bad character " + Formatting.GoQuote.UnicodeName(r));
            }

            var keyword = Keyword(word);
            if (keyword is not null)
            {
                Emit(keyword.Value);
            }
            else if (word[0] == '.')
            {
                Emit(TokenType.Field);
            }
            else if (word is "true" or "false")
            {
                Emit(TokenType.Bool);
            }
            else
            {
                Emit(TokenType.Identifier);
            }

            return true;
        }
    }

    private static TokenType? Keyword(string word) => word switch
    {
        "." => TokenType.Dot,
        "block" => TokenType.Block,
        "break" => TokenType.Break,
        "continue" => TokenType.Continue,
        "define" => TokenType.Define,
        "else" => TokenType.Else,
        "end" => TokenType.End,
        "if" => TokenType.If,
        "range" => TokenType.Range,
        "nil" => TokenType.Nil,
        "template" => TokenType.Template,
        "with" => TokenType.With,
        _ => null,
    };

    private bool? LexVariable()
    {
        if (AtTerminator())
        {
            Emit(TokenType.Variable);
            return true;
        }

        return LexFieldOrVariable(TokenType.Variable);
    }

    private bool? LexFieldOrVariable(TokenType type)
    {
        if (AtTerminator())
        {
            Emit(type == TokenType.Variable ? TokenType.Variable : TokenType.Dot);
            return true;
        }

        int r;
        while (true)
        {
            r = ReadRune(pos, out var w);
            if (r < 0 || !IsAlphaNumeric(r))
            {
                break;
            }

            pos += w;
        }

        if (!AtTerminator())
        {
            return Error("bad character " + Formatting.GoQuote.UnicodeName(r));
        }

        Emit(type);
        return true;
    }

    private bool AtTerminator()
    {
        var r = Peek();
        if (IsSpace(r))
        {
            return true;
        }

        switch (r)
        {
            case -1:
            case '.':
            case ',':
            case '|':
            case ':':
            case ')':
            case '(':
                return true;
        }

        return StartsWith(pos, RightDelim);
    }

    private bool? LexChar() => LexQuoted('\'', "unterminated character constant", TokenType.CharConstant);

    private bool? LexNumber()
    {
        if (!ScanNumber())
        {
            return Error("bad number syntax: " + Formatting.GoQuote.Quote(input[start..pos]));
        }

        var sign = Peek();
        if (sign is '+' or '-')
        {
            if (!ScanNumber() || input[pos - 1] != 'i')
            {
                return Error("bad number syntax: " + Formatting.GoQuote.Quote(input[start..pos]));
            }

            Emit(TokenType.Complex);
        }
        else
        {
            Emit(TokenType.Number);
        }

        return true;
    }

    private bool Accept(string valid)
    {
        if (pos < input.Length && valid.Contains(input[pos], StringComparison.Ordinal))
        {
            pos++;
            return true;
        }

        return false;
    }

    private void AcceptRun(string valid)
    {
        while (pos < input.Length && valid.Contains(input[pos], StringComparison.Ordinal))
        {
            pos++;
        }
    }

    private bool ScanNumber()
    {
        Accept("+-");
        var digits = "0123456789_";
        if (Accept("0"))
        {
            if (Accept("xX"))
            {
                digits = "0123456789abcdefABCDEF_";
            }
            else if (Accept("oO"))
            {
                digits = "01234567_";
            }
            else if (Accept("bB"))
            {
                digits = "01_";
            }
        }

        AcceptRun(digits);
        if (Accept("."))
        {
            AcceptRun(digits);
        }

        if (digits.Length == 11 && Accept("eE"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }

        if (digits.Length == 23 && Accept("pP"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }

        Accept("i");
        var r = ReadRune(pos, out var w);
        if (r >= 0 && IsAlphaNumeric(r))
        {
            pos += w;
            return false;
        }

        return true;
    }

    private bool? LexQuote() => LexQuoted('"', "unterminated quoted string", TokenType.String);

    // A character constant or interpreted string: backslash escapes, ends at the closing quote, not at a newline.
    private bool? LexQuoted(char quote, string unterminated, TokenType type)
    {
        while (true)
        {
            var c = Peek();
            pos++;
            if (c == '\\')
            {
                var n = Peek();
                if (n != -1 && n != '\n')
                {
                    pos++;
                    continue;
                }

                pos = Math.Min(pos + 1, input.Length);
                return Error(unterminated);
            }

            if (c is -1 or '\n')
            {
                pos = Math.Min(pos, input.Length);
                return Error(unterminated);
            }

            if (c == quote)
            {
                break;
            }
        }

        Emit(type);
        return true;
    }

    private bool? LexRawQuote()
    {
        while (true)
        {
            var c = Peek();
            if (c == -1)
            {
                return Error("unterminated raw quoted string");
            }

            pos++;
            if (c == '\n')
            {
                line++;
            }

            if (c == '`')
            {
                break;
            }
        }

        Emit(TokenType.RawString);
        return true;
    }
}
