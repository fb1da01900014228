using System.Text;

namespace Weir.Templates.Formatting;

/// <summary>Go's time.Duration String and ParseDuration.</summary>
public static class GoDuration
{
    public static string Format(long d)
    {
        if (d == 0)
        {
            return "0s";
        }

        var neg = d < 0;
        var u = neg ? unchecked((ulong)(-d)) : (ulong)d;
        var buf = new char[32];
        var w = buf.Length;
        if (u < 1_000_000_000UL)
        {
            int prec;
            w--;
            buf[w] = 's';
            w--;
            if (u < 1000UL)
            {
                prec = 0;
                buf[w] = 'n';
            }
            else if (u < 1_000_000UL)
            {
                prec = 3;
                // U+00B5 'µ' micro sign
                buf[w] = '\u00B5';
            }
            else
            {
                prec = 6;
                buf[w] = 'm';
            }

            (w, u) = FormatFrac(buf, w, u, prec);
            w = FormatInt(buf, w, u);
        }
        else
        {
            w--;
            buf[w] = 's';
            (w, u) = FormatFrac(buf, w, u, 9);
            w = FormatInt(buf, w, u % 60);
            u /= 60;
            if (u > 0)
            {
                w--;
                buf[w] = 'm';
                w = FormatInt(buf, w, u % 60);
                u /= 60;
                if (u > 0)
                {
                    w--;
                    buf[w] = 'h';
                    w = FormatInt(buf, w, u);
                }
            }
        }

        if (neg)
        {
            w--;
            buf[w] = '-';
        }

        return new string(buf, w, buf.Length - w);
    }

    private static (int W, ulong V) FormatFrac(char[] buf, int w, ulong v, int prec)
    {
        var print = false;
        for (var i = 0; i < prec; i++)
        {
            var digit = v % 10;
            print = print || digit != 0;
            if (print)
            {
                w--;
                buf[w] = (char)(digit + '0');
            }

            v /= 10;
        }

        if (print)
        {
            w--;
            buf[w] = '.';
        }

        return (w, v);
    }

    private static int FormatInt(char[] buf, int w, ulong v)
    {
        if (v == 0)
        {
            w--;
            buf[w] = '0';
        }
        else
        {
            while (v > 0)
            {
                w--;
                buf[w] = (char)((v % 10) + '0');
                v /= 10;
            }
        }

        return w;
    }

    /// <summary>time.ParseDuration.</summary>
    public static bool TryParse(string s, out long duration, out string error)
    {
        duration = 0;
        error = "";
        var orig = s;
        var neg = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            neg = s[0] == '-';
            s = s[1..];
        }

        if (s == "0")
        {
            return true;
        }

        if (s.Length == 0)
        {
            error = "time: invalid duration " + GoQuote.Quote(orig);
            return false;
        }

        ulong d = 0;
        while (s.Length > 0)
        {
            ulong v = 0;
            ulong f = 0;
            double scale = 1;
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                error = "time: invalid duration " + GoQuote.Quote(orig);
                return false;
            }

            var pl = s.Length;
            var i = 0;
            var overflow = false;
            for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
            {
                if (v > (1UL << 63) / 10)
                {
                    overflow = true;
                }

                v = (v * 10) + (ulong)(s[i] - '0');
                if (v > 1UL << 63)
                {
                    overflow = true;
                }
            }

            if (overflow)
            {
                error = "time: invalid duration " + GoQuote.Quote(orig);
                return false;
            }

            s = s[i..];
            var pre = pl != s.Length;
            var post = false;
            if (s.Length > 0 && s[0] == '.')
            {
                s = s[1..];
                pl = s.Length;
                i = 0;
                var fOverflow = false;
                for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
                {
                    if (fOverflow)
                    {
                        continue;
                    }

                    if (f > ((1UL << 63) - 1) / 10)
                    {
                        fOverflow = true;
                        continue;
                    }

                    var y = (f * 10) + (ulong)(s[i] - '0');
                    if (y > 1UL << 63)
                    {
                        fOverflow = true;
                        continue;
                    }

                    f = y;
                    scale *= 10;
                }

                s = s[i..];
                post = pl != s.Length;
            }

            if (!pre && !post)
            {
                error = "time: invalid duration " + GoQuote.Quote(orig);
                return false;
            }

            i = 0;
            while (i < s.Length && s[i] != '.' && !char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == 0)
            {
                error = "time: missing unit in duration " + GoQuote.Quote(orig);
                return false;
            }

            var u = s[..i];
            s = s[i..];
            ulong unit = u switch
            {
                "ns" => 1,
                "us" or "\u00B5s" or "\u03BCs" => 1000,
                "ms" => 1_000_000,
                "s" => 1_000_000_000,
                "m" => 60_000_000_000,
                "h" => 3_600_000_000_000,
                _ => 0,
            };
            if (unit == 0)
            {
                error = "time: unknown unit " + GoQuote.Quote(u) + " in duration " + GoQuote.Quote(orig);
                return false;
            }

            if (v > (1UL << 63) / unit)
            {
                error = "time: invalid duration " + GoQuote.Quote(orig);
                return false;
            }

            v *= unit;
            if (f > 0)
            {
                v += (ulong)(f * ((double)unit / scale));
                if (v > 1UL << 63)
                {
                    error = "time: invalid duration " + GoQuote.Quote(orig);
                    return false;
                }
            }

            d += v;
            if (d > 1UL << 63)
            {
                error = "time: invalid duration " + GoQuote.Quote(orig);
                return false;
            }
        }

        if (neg)
        {
            duration = unchecked(-(long)d);
            return true;
        }

        if (d > (1UL << 63) - 1)
        {
            error = "time: invalid duration " + GoQuote.Quote(orig);
            return false;
        }

        duration = (long)d;
        return true;
    }

    internal static StringBuilder AppendTo(StringBuilder sb, long d) => sb.Append(Format(d));
}
