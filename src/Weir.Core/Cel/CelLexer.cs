using System.Globalization;
using System.Text;

namespace Weir.Core.Cel;

/// <summary>Splits CEL source into tokens: identifiers, number and string literals (quotes, triple quotes, raw, escapes), punctuation.</summary>
internal static class CelLexer
{
    private static readonly string[] Punctuation =
        ["&&", "||", "==", "!=", "<=", ">=", ".?", "[?", "(", ")", "[", "]", "{", "}", ".", ",", ":", "?", "!", "-", "+", "*", "/", "%", "<", ">"];

    public static List<CelToken> Tokenize(string source)
    {
        var tokens = new List<CelToken>();
        var i = 0;
        while (true)
        {
            while (i < source.Length && char.IsWhiteSpace(source[i]))
            {
                i++;
            }

            if (i >= source.Length)
            {
                tokens.Add(new CelToken(CelTokenKind.End, "", i));
                return tokens;
            }

            var c = source[i];
            if (c == '/' && i + 1 < source.Length && source[i + 1] == '/')
            {
                while (i < source.Length && source[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (char.IsDigit(c) || (c == '.' && i + 1 < source.Length && char.IsDigit(source[i + 1])))
            {
                tokens.Add(Number(source, ref i));
            }
            else if ((c is 'r' or 'R' or 'b' or 'B') && i + 1 < source.Length && source[i + 1] is '"' or '\'')
            {
                if (c is 'b' or 'B')
                {
                    throw new CelException($"Syntax error: bytes literals are not supported at {i}", i, "Syntax error: bytes literals are not supported");
                }

                i++;
                tokens.Add(StringLiteral(source, ref i, raw: true));
            }
            else if (c is '"' or '\'')
            {
                tokens.Add(StringLiteral(source, ref i, raw: false));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < source.Length && (char.IsLetterOrDigit(source[i]) || source[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new CelToken(CelTokenKind.Identifier, source[start..i], start));
            }
            else
            {
                var punct = Punctuation.FirstOrDefault(p => string.CompareOrdinal(source, i, p, 0, p.Length) == 0)
                    ?? throw new CelException($"Syntax error: token recognition error at: '{c}' (position {i})", i, $"Syntax error: token recognition error at: '{c}'");
                tokens.Add(new CelToken(CelTokenKind.Punct, punct, i));
                i += punct.Length;
            }
        }
    }

    private static CelToken Number(string s, ref int i)
    {
        var start = i;
        if (s[i] == '0' && i + 1 < s.Length && s[i + 1] is 'x' or 'X')
        {
            i += 2;
            while (i < s.Length && Uri.IsHexDigit(s[i]))
            {
                i++;
            }

            var hex = ulong.Parse(s[(start + 2)..i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return IntegerToken(s, ref i, start, hex);
        }

        while (i < s.Length && char.IsDigit(s[i]))
        {
            i++;
        }

        var isDouble = false;
        if (i + 1 < s.Length && s[i] == '.' && char.IsDigit(s[i + 1]))
        {
            isDouble = true;
            i++;
            while (i < s.Length && char.IsDigit(s[i]))
            {
                i++;
            }
        }

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            isDouble = true;
            i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }

            while (i < s.Length && char.IsDigit(s[i]))
            {
                i++;
            }
        }

        if (isDouble)
        {
            return new CelToken(CelTokenKind.Double, s[start..i], start, double.Parse(s[start..i], CultureInfo.InvariantCulture));
        }

        if (!ulong.TryParse(s[start..i], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new CelException($"Syntax error: invalid int literal {s[start..i]}", start);
        }

        return IntegerToken(s, ref i, start, value);
    }

    private static CelToken IntegerToken(string s, ref int i, int start, ulong value)
    {
        if (i < s.Length && s[i] is 'u' or 'U')
        {
            i++;
            return new CelToken(CelTokenKind.Uint, s[start..i], start, value);
        }

        // The magnitude may be 2^63 when a unary minus follows; the parser checks the range.
        return new CelToken(CelTokenKind.Int, s[start..i], start, value);
    }

    private static CelToken StringLiteral(string s, ref int i, bool raw)
    {
        var start = i;
        var quote = s[i];
        var triple = i + 2 < s.Length && s[i + 1] == quote && s[i + 2] == quote;
        i += triple ? 3 : 1;
        var text = new StringBuilder();
        while (true)
        {
            if (i >= s.Length || (!triple && s[i] == '\n'))
            {
                throw new CelException($"Syntax error: unterminated string starting at {start}", start, "Syntax error: unterminated string");
            }

            if (s[i] == quote && (!triple || (i + 2 < s.Length && s[i + 1] == quote && s[i + 2] == quote)))
            {
                i += triple ? 3 : 1;
                return new CelToken(CelTokenKind.String, text.ToString(), start, text.ToString());
            }

            if (s[i] == '\\' && !raw)
            {
                text.Append(Escape(s, ref i));
                continue;
            }

            text.Append(s[i++]);
        }
    }

    private static string Escape(string s, ref int i)
    {
        i++; // the backslash
        if (i >= s.Length)
        {
            throw new CelException("Syntax error: unterminated escape");
        }

        var c = s[i++];
        switch (c)
        {
            case 'n': return "\n";
            case 't': return "\t";
            case 'r': return "\r";
            case 'a': return "\a";
            case 'b': return "\b";
            case 'f': return "\f";
            case 'v': return "\v";
            case '\\': return "\\";
            case '\'': return "'";
            case '"': return "\"";
            case '`': return "`";
            case '?': return "?";
            case 'x' or 'X': return CodePoint(s, ref i, 2, 16);
            case 'u': return CodePoint(s, ref i, 4, 16);
            case 'U': return CodePoint(s, ref i, 8, 16);
            case >= '0' and <= '3':
                i--;
                return CodePoint(s, ref i, 3, 8);
            default:
                throw new CelException($"Syntax error: invalid escape sequence \\{c}");
        }
    }

    private static string CodePoint(string s, ref int i, int digits, int radix)
    {
        if (i + digits > s.Length)
        {
            throw new CelException("Syntax error: truncated escape sequence");
        }

        var value = Convert.ToInt32(s.Substring(i, digits), radix);
        i += digits;
        return char.ConvertFromUtf32(value);
    }
}
