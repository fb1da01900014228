using System.Globalization;
using System.Numerics;
using System.Text;
using Weir.Templates.Values;

namespace Weir.Templates.Formatting;

/// <summary>The parts of Go's strconv that templates rely on: number literals and quoted strings.</summary>
internal static class GoStrconv
{
    private static char Lower(char c) => (char)(c | 0x20);

    private static bool UnderscoreOk(string s)
    {
        var saw = '^';
        var i = 0;
        if (s.Length >= 1 && s[0] is '-' or '+')
        {
            s = s[1..];
        }

        var hex = false;
        if (s.Length >= 2 && s[0] == '0' && Lower(s[1]) is 'b' or 'o' or 'x')
        {
            i = 2;
            saw = '0';
            hex = Lower(s[1]) == 'x';
        }

        for (; i < s.Length; i++)
        {
            var c = s[i];
            if ((c >= '0' && c <= '9') || (hex && Lower(c) >= 'a' && Lower(c) <= 'f'))
            {
                saw = '0';
                continue;
            }

            if (c == '_')
            {
                if (saw != '0')
                {
                    return false;
                }

                saw = '_';
                continue;
            }

            if (saw == '_')
            {
                return false;
            }

            saw = '!';
        }

        return saw != '_';
    }

    /// <summary>strconv.ParseUint(s, 0, 64).</summary>
    public static bool TryParseUint(string s, out ulong value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }

        var body = s;
        var radix = 10;
        if (body[0] == '0')
        {
            if (body.Length >= 3 && Lower(body[1]) == 'b')
            {
                radix = 2;
                body = body[2..];
            }
            else if (body.Length >= 3 && Lower(body[1]) == 'o')
            {
                radix = 8;
                body = body[2..];
            }
            else if (body.Length >= 3 && Lower(body[1]) == 'x')
            {
                radix = 16;
                body = body[2..];
            }
            else
            {
                radix = 8;
                body = body[1..];
            }
        }

        var underscores = false;
        ulong n = 0;
        foreach (var c in body)
        {
            int d;
            if (c == '_')
            {
                underscores = true;
                continue;
            }

            if (c >= '0' && c <= '9')
            {
                d = c - '0';
            }
            else if (Lower(c) >= 'a' && Lower(c) <= 'z')
            {
                d = Lower(c) - 'a' + 10;
            }
            else
            {
                return false;
            }

            if (d >= radix)
            {
                return false;
            }

            var next = unchecked((n * (ulong)radix) + (ulong)d);
            if (n > (ulong.MaxValue - (ulong)d) / (ulong)radix)
            {
                return false;
            }

            n = next;
        }

        if (underscores && !UnderscoreOk(s))
        {
            return false;
        }

        value = n;
        return true;
    }

    /// <summary>strconv.ParseInt(s, 0, 64).</summary>
    public static bool TryParseInt(string s, out long value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }

        var neg = false;
        var body = s;
        if (s[0] is '+' or '-')
        {
            neg = s[0] == '-';
            body = s[1..];
        }

        if (!TryParseUint(body, out var u))
        {
            return false;
        }

        if (neg)
        {
            if (u > 1UL << 63)
            {
                return false;
            }

            value = unchecked(-(long)u);
            return true;
        }

        if (u > long.MaxValue)
        {
            return false;
        }

        value = (long)u;
        return true;
    }

    /// <summary>strconv.ParseFloat(s, 64) for decimal and hexadecimal literals; fails on out-of-range values.</summary>
    public static bool TryParseFloat(string s, out double value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }

        var body = s;
        var neg = false;
        if (body[0] is '+' or '-')
        {
            neg = body[0] == '-';
            body = body[1..];
        }

        var lower = body.ToLowerInvariant();
        if (lower is "inf" or "infinity")
        {
            value = neg ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (lower == "nan")
        {
            value = double.NaN;
            return true;
        }

        if (body.Contains('_', StringComparison.Ordinal))
        {
            if (!UnderscoreOk(s))
            {
                return false;
            }

            body = body.Replace("_", "", StringComparison.Ordinal);
        }

        if (body.Length > 2 && body[0] == '0' && Lower(body[1]) == 'x')
        {
            if (!TryParseHexFloat(body[2..], out value))
            {
                return false;
            }
        }
        else
        {
            foreach (var c in body)
            {
                if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-'))
                {
                    return false;
                }
            }

            if (!double.TryParse(body, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
            {
                return false;
            }

            if (double.IsInfinity(value))
            {
                return false;
            }
        }

        if (neg)
        {
            value = -value;
        }

        return true;
    }

    private static bool TryParseHexFloat(string s, out double value)
    {
        value = 0;
        var p = s.IndexOfAny(['p', 'P']);
        if (p < 0)
        {
            return false;
        }

        var mant = s[..p];
        var expText = s[(p + 1)..];
        if (!int.TryParse(expText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exp))
        {
            return false;
        }

        BigInteger m = 0;
        var fracDigits = 0;
        var seenDot = false;
        var any = false;
        foreach (var c in mant)
        {
            if (c == '.')
            {
                if (seenDot)
                {
                    return false;
                }

                seenDot = true;
                continue;
            }

            var d = Convert.ToInt32(c.ToString(), 16);
            m = (m * 16) + d;
            any = true;
            if (seenDot)
            {
                fracDigits++;
            }
        }

        if (!any)
        {
            return false;
        }

        value = Math.ScaleB((double)m, exp - (4 * fracDigits));
        return !double.IsInfinity(value);
    }

    /// <summary>strconv.Unquote for "…", `…` and '…' literals. Byte escapes (\xff) are decoded as UTF-8.</summary>
    public static bool TryUnquote(string s, out string result)
    {
        result = "";
        if (s.Length < 2)
        {
            return false;
        }

        var quote = s[0];
        if (quote != s[^1])
        {
            return false;
        }

        var body = s[1..^1];
        if (quote == '`')
        {
            if (body.Contains('`', StringComparison.Ordinal))
            {
                return false;
            }

            result = body.Replace("\r", "", StringComparison.Ordinal);
            return true;
        }

        if (quote != '"' && quote != '\'')
        {
            return false;
        }

        if (quote == '"' && !body.Contains('\\', StringComparison.Ordinal) && !body.Contains('"', StringComparison.Ordinal) && !body.Contains('\n', StringComparison.Ordinal))
        {
            result = body;
            return true;
        }

        var bytes = new List<byte>(body.Length);
        var i = 0;
        var count = 0;
        while (i < body.Length)
        {
            if (body[i] == quote && quote == '\'')
            {
                return false;
            }

            if (!TryUnquoteChar(body, ref i, quote, bytes))
            {
                return false;
            }

            count++;
        }

        if (quote == '\'' && count != 1)
        {
            return false;
        }

        result = Utf8.Decode([.. bytes]);
        return true;
    }

    /// <summary>One character or escape of a quoted literal, appended as UTF-8.</summary>
    public static bool TryUnquoteChar(string s, ref int i, char quote, List<byte> output)
    {
        var c = s[i];
        if (c == quote && quote is '\'' or '"')
        {
            return false;
        }

        if (c == '\n')
        {
            return false;
        }

        if (c != '\\')
        {
            var len = char.IsHighSurrogate(c) && i + 1 < s.Length ? 2 : 1;
            output.AddRange(Utf8.Bytes(s.Substring(i, len)));
            i += len;
            return true;
        }

        if (i + 1 >= s.Length)
        {
            return false;
        }

        var e = s[i + 1];
        i += 2;
        switch (e)
        {
            case 'a':
                output.Add(7);
                return true;
            case 'b':
                output.Add(8);
                return true;
            case 'f':
                output.Add(12);
                return true;
            case 'n':
                output.Add(10);
                return true;
            case 'r':
                output.Add(13);
                return true;
            case 't':
                output.Add(9);
                return true;
            case 'v':
                output.Add(11);
                return true;
            case '\\':
                output.Add((byte)'\\');
                return true;
            case '\'' or '"':
                if (e != quote)
                {
                    return false;
                }

                output.Add((byte)e);
                return true;
            case 'x' or 'u' or 'U':
                var n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                if (i + n > s.Length)
                {
                    return false;
                }

                var v = 0;
                for (var j = 0; j < n; j++)
                {
                    var h = s[i + j];
                    int d = h switch
                    {
                        >= '0' and <= '9' => h - '0',
                        >= 'a' and <= 'f' => h - 'a' + 10,
                        >= 'A' and <= 'F' => h - 'A' + 10,
                        _ => -1,
                    };
                    if (d < 0)
                    {
                        return false;
                    }

                    v = (v << 4) | d;
                }

                i += n;
                if (e == 'x')
                {
                    if (quote == '\'')
                    {
                        AppendRune(output, v);
                    }
                    else
                    {
                        output.Add((byte)v);
                    }

                    return true;
                }

                if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))
                {
                    return false;
                }

                AppendRune(output, v);
                return true;
            case >= '0' and <= '7':
                if (i + 2 > s.Length)
                {
                    return false;
                }

                var o = e - '0';
                for (var j = 0; j < 2; j++)
                {
                    var d = s[i + j] - '0';
                    if (d < 0 || d > 7)
                    {
                        return false;
                    }

                    o = (o << 3) | d;
                }

                i += 2;
                if (o > 255)
                {
                    return false;
                }

                if (quote == '\'')
                {
                    AppendRune(output, o);
                }
                else
                {
                    output.Add((byte)o);
                }

                return true;
            default:
                return false;
        }
    }

    private static void AppendRune(List<byte> output, int r)
    {
        Span<byte> buf = stackalloc byte[4];
        var rune = Rune.IsValid(r) ? new Rune(r) : Rune.ReplacementChar;
        var n = rune.EncodeToUtf8(buf);
        for (var k = 0; k < n; k++)
        {
            output.Add(buf[k]);
        }
    }
}
