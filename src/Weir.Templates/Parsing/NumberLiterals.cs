using System.Globalization;
using System.Text;
using Weir.Templates.Formatting;

namespace Weir.Templates.Parsing;

/// <summary>Go's parse.newNumber: every reading (int, uint, float, complex) a numeric literal allows.</summary>
internal static class NumberLiterals
{
    [ThreadStatic]
    private static string? lastError;

    public static string LastError => lastError ?? "bad number";

    public static NumberNode? Parse(Token token, SourceText source)
    {
        var text = token.Value;
        var n = new NumberNode(token.Pos, source, text);
        switch (token.Type)
        {
            case TokenType.CharConstant:
                if (!GoStrconv.TryUnquote(text, out var ch) || ch.Length == 0)
                {
                    lastError = text.Length > 2 && text[1] == '\\' ? "invalid syntax" : $"malformed character constant: {text}";
                    return null;
                }

                var rune = Rune.GetRuneAt(ch, 0).Value;
                n.Int64 = rune;
                n.IsInt = true;
                n.Uint64 = (ulong)rune;
                n.IsUint = true;
                n.Float64 = rune;
                n.IsFloat = true;
                return n;
            case TokenType.Complex:
                if (!TryParseComplex(text, out var re, out var im))
                {
                    lastError = "expected integer";
                    return null;
                }

                n.IsComplex = true;
                n.Float64 = re;
                n.Imaginary = im;
                SimplifyComplex(n);
                return n;
        }

        if (text.Length > 0 && text[^1] == 'i')
        {
            if (GoStrconv.TryParseFloat(text[..^1], out var f))
            {
                n.IsComplex = true;
                n.Float64 = 0;
                n.Imaginary = f;
                SimplifyComplex(n);
                return n;
            }
        }

        var uok = GoStrconv.TryParseUint(text, out var u);
        if (uok)
        {
            n.IsUint = true;
            n.Uint64 = u;
        }

        if (GoStrconv.TryParseInt(text, out var i))
        {
            n.IsInt = true;
            n.Int64 = i;
            if (i == 0)
            {
                n.IsUint = true;
                n.Uint64 = u;
            }
        }

        if (n.IsInt)
        {
            n.IsFloat = true;
            n.Float64 = n.Int64;
        }
        else if (n.IsUint)
        {
            n.IsFloat = true;
            n.Float64 = n.Uint64;
        }
        else if (GoStrconv.TryParseFloat(text, out var f))
        {
            if (text.IndexOfAny(['.', 'e', 'E', 'p', 'P']) < 0)
            {
                lastError = $"integer overflow: {GoQuote.Quote(text)}";
                return null;
            }

            n.IsFloat = true;
            n.Float64 = f;
            if (!n.IsInt && Math.Floor(f) == f && f >= -9.2233720368547758e18 && f < 9.2233720368547758e18)
            {
                n.IsInt = true;
                n.Int64 = (long)f;
            }

            if (!n.IsUint && Math.Floor(f) == f && f >= 0 && f < 1.8446744073709552e19)
            {
                n.IsUint = true;
                n.Uint64 = (ulong)f;
            }
        }

        if (!n.IsInt && !n.IsUint && !n.IsFloat)
        {
            lastError = $"illegal number syntax: {GoQuote.Quote(text)}";
            return null;
        }

        return n;
    }

    private static void SimplifyComplex(NumberNode n)
    {
        n.IsFloat = n.Imaginary == 0;
        if (n.IsFloat)
        {
            var f = n.Float64;
            n.IsInt = Math.Floor(f) == f && f >= -9.2233720368547758e18 && f < 9.2233720368547758e18;
            if (n.IsInt)
            {
                n.Int64 = (long)f;
            }

            n.IsUint = Math.Floor(f) == f && f >= 0 && f < 1.8446744073709552e19;
            if (n.IsUint)
            {
                n.Uint64 = (ulong)f;
            }
        }
    }

    // fmt.Sscan of a complex128 as the lexer delivers it: real part, sign, imaginary part ending in 'i'.
    private static bool TryParseComplex(string text, out double re, out double im)
    {
        re = 0;
        im = 0;
        for (var k = text.Length - 2; k > 0; k--)
        {
            if (text[k] is '+' or '-' && text[k - 1] is not ('e' or 'E' or 'p' or 'P'))
            {
                return GoStrconv.TryParseFloat(text[..k], out re)
                    && GoStrconv.TryParseFloat(text[k..^1], out im);
            }
        }

        _ = CultureInfo.InvariantCulture;
        return false;
    }
}
