using System.Globalization;
using System.Numerics;
using System.Text;

namespace Weir.Templates.Formatting;

/// <summary>Go's strconv.FormatFloat for the 'e', 'E', 'f', 'g', 'G' and 'b' formats, shortest or with a precision.</summary>
public static class GoFloatFormat
{
    /// <summary>Shortest %v text of a float64 (strconv.FormatFloat(f, 'g', -1, 64)).</summary>
    public static string FormatShortest(double v) => Format(v, 'g', -1, 64);

    public static string Format(double v, char fmt, int prec, int bitSize)
    {
        var sb = new StringBuilder(24);
        Append(sb, v, fmt, prec, bitSize);
        return sb.ToString();
    }

    public static void Append(StringBuilder sb, double v, char fmt, int prec, int bitSize)
    {
        if (double.IsNaN(v))
        {
            sb.Append("NaN");
            return;
        }

        if (double.IsInfinity(v))
        {
            sb.Append(v > 0 ? "+Inf" : "-Inf");
            return;
        }

        var neg = double.IsNegative(v);
        if (fmt == 'b')
        {
            AppendBinary(sb, v, bitSize);
            return;
        }

        var shortest = prec < 0;
        Span<char> shortestBuffer = stackalloc char[32];
        scoped ReadOnlySpan<char> digits;
        int dp;
        if (shortest)
        {
            digits = shortestBuffer[..ShortestDigits(Math.Abs(v), bitSize, shortestBuffer, out dp)];
        }
        else
        {
            var count = fmt switch
            {
                'e' or 'E' => prec + 1,
                'f' or 'F' => -1,
                _ => prec == 0 ? 1 : prec,
            };
            (var text, dp) = count < 0 ? FixedDigits(Math.Abs(v), prec) : SignificantDigits(Math.Abs(v), count);
            digits = text;
        }

        if (neg)
        {
            sb.Append('-');
        }

        var nd = digits.Length;
        switch (fmt)
        {
            case 'e' or 'E':
                AppendE(sb, digits, dp, shortest ? nd - 1 : prec, fmt);
                return;
            case 'f' or 'F':
                AppendF(sb, digits, dp, shortest ? Math.Max(nd - dp, 0) : prec);
                return;
            default:
                var eprec = prec;
                if (eprec > nd && nd >= dp)
                {
                    eprec = nd;
                }

                if (shortest)
                {
                    eprec = 6;
                }

                var exp = dp - 1;
                if (exp < -4 || exp >= eprec)
                {
                    var p = shortest ? nd : prec;
                    if (p > nd)
                    {
                        p = nd;
                    }

                    AppendE(sb, digits, dp, p - 1, fmt == 'G' ? 'E' : 'e');
                    return;
                }

                var q = shortest ? nd : prec;
                if (q > dp)
                {
                    q = nd;
                }

                AppendF(sb, digits, dp, Math.Max(q - dp, 0));
                return;
        }
    }

    private static void AppendE(StringBuilder sb, ReadOnlySpan<char> d, int dp, int prec, char fmt)
    {
        sb.Append(d.Length == 0 ? '0' : d[0]);
        if (prec > 0)
        {
            sb.Append('.');
            var i = 1;
            var m = Math.Min(d.Length, prec + 1);
            if (i < m)
            {
                sb.Append(d[i..m]);
                i = m;
            }

            for (; i <= prec; i++)
            {
                sb.Append('0');
            }
        }

        sb.Append(fmt);
        var exp = dp - 1;
        if (d.Length == 0)
        {
            exp = 0;
        }

        sb.Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        if (exp < 10)
        {
            sb.Append('0');
        }

        sb.Append(exp);
    }

    private static void AppendF(StringBuilder sb, ReadOnlySpan<char> d, int dp, int prec)
    {
        if (dp > 0)
        {
            var m = Math.Min(d.Length, dp);
            sb.Append(d[..m]);
            for (; m < dp; m++)
            {
                sb.Append('0');
            }
        }
        else
        {
            sb.Append('0');
        }

        if (prec > 0)
        {
            sb.Append('.');
            for (var i = 1; i <= prec; i++)
            {
                var j = dp + i - 1;
                sb.Append(j >= 0 && j < d.Length ? d[j] : '0');
            }
        }
    }

    private static void AppendBinary(StringBuilder sb, double v, int bitSize)
    {
        var bits = BitConverter.DoubleToInt64Bits(v);
        var neg = bits < 0;
        var exp = (int)((bits >> 52) & 0x7FF);
        var mant = bits & ((1L << 52) - 1);
        if (exp == 0)
        {
            exp++;
        }
        else
        {
            mant |= 1L << 52;
        }

        exp += -1023 - 52;
        if (neg)
        {
            sb.Append('-');
        }

        sb.Append(mant.ToString(CultureInfo.InvariantCulture)).Append('p');
        if (exp >= 0)
        {
            sb.Append('+');
        }

        sb.Append(exp.ToString(CultureInfo.InvariantCulture));
        _ = bitSize;
    }

    /// <summary>Shortest digits that read back as the same value, and the decimal point position.</summary>
    public static (string Digits, int Dp) ShortestDigits(double v, int bitSize)
    {
        Span<char> buffer = stackalloc char[32];
        var n = ShortestDigits(v, bitSize, buffer, out var dp);
        return (new string(buffer[..n]), dp);
    }

    /// <summary>
    /// Writes the shortest round-trip digits of a finite non-negative value into <paramref name="digits"/> (no
    /// leading or trailing zeros) and returns their count; <paramref name="dp"/> is the decimal point position.
    /// </summary>
    private static int ShortestDigits(double v, int bitSize, Span<char> digits, out int dp)
    {
        dp = 0;
        if (v == 0)
        {
            return 0;
        }

        Span<char> text = stackalloc char[32];
        int written;
        var ok = bitSize == 32
            ? ((float)v).TryFormat(text, out written, "R", CultureInfo.InvariantCulture)
            : v.TryFormat(text, out written, "R", CultureInfo.InvariantCulture);
        if (!ok)
        {
            throw new InvalidOperationException("float text longer than 32 characters");
        }

        text = text[..written];
        var exponent = 0;
        var ePos = text.IndexOfAny('E', 'e');
        if (ePos >= 0)
        {
            exponent = int.Parse(text[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..ePos];
        }

        var dot = text.IndexOf('.');
        var intLength = dot >= 0 ? dot : text.Length;
        var n = 0;
        foreach (var ch in text)
        {
            if (ch != '.')
            {
                digits[n++] = ch;
            }
        }

        dp = intLength + exponent;
        var lead = 0;
        while (lead < n && digits[lead] == '0')
        {
            lead++;
        }

        var end = n;
        while (end > lead && digits[end - 1] == '0')
        {
            end--;
        }

        if (end == lead)
        {
            dp = 0;
            return 0;
        }

        dp -= lead;
        digits[lead..end].CopyTo(digits);
        return end - lead;
    }

    /// <summary>The exact decimal expansion of a finite non-negative double: digits and decimal point position.</summary>
    private static (string Digits, int Dp) ExactDigits(double v)
    {
        if (v == 0)
        {
            return ("", 0);
        }

        var bits = BitConverter.DoubleToInt64Bits(v);
        var exp = (int)((bits >> 52) & 0x7FF);
        var mant = bits & ((1L << 52) - 1);
        if (exp == 0)
        {
            exp = 1;
        }
        else
        {
            mant |= 1L << 52;
        }

        exp -= 1075;
        BigInteger n = mant;
        string digits;
        int dp;
        if (exp >= 0)
        {
            n <<= exp;
            digits = n.ToString(CultureInfo.InvariantCulture);
            dp = digits.Length;
        }
        else
        {
            n *= BigInteger.Pow(5, -exp);
            digits = n.ToString(CultureInfo.InvariantCulture);
            dp = digits.Length + exp;
        }

        var lead = 0;
        while (lead < digits.Length && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..].TrimEnd('0');
        return (digits, dp - lead);
    }

    /// <summary>Rounds exact digits to nd digits, half to even as Go's decimal rounding does; trailing zeros removed.</summary>
    private static (string Digits, int Dp) Round(string d, int dp, int nd)
    {
        if (nd < 0)
        {
            return ("", dp);
        }

        if (nd >= d.Length)
        {
            return (d, dp);
        }

        bool up;
        if (d[nd] == '5' && nd + 1 == d.Length)
        {
            up = nd > 0 && (d[nd - 1] - '0') % 2 == 1;
        }
        else
        {
            up = d[nd] >= '5';
        }

        if (!up)
        {
            var kept = d[..nd].TrimEnd('0');
            return kept.Length == 0 ? ("", dp) : (kept, dp);
        }

        var chars = d[..nd].ToCharArray();
        var i = nd - 1;
        while (i >= 0 && chars[i] == '9')
        {
            i--;
        }

        if (i < 0)
        {
            return ("1", dp + 1);
        }

        chars[i]++;
        return (new string(chars, 0, i + 1), dp);
    }

    private static (string Digits, int Dp) SignificantDigits(double v, int count)
    {
        var (d, dp) = ExactDigits(v);
        return Round(d, dp, count);
    }

    private static (string Digits, int Dp) FixedDigits(double v, int prec)
    {
        var (d, dp) = ExactDigits(v);
        var (r, rdp) = Round(d, dp, dp + prec);
        return (r, rdp);
    }
}
