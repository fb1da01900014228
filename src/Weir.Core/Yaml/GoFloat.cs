using System.Globalization;
using System.Text;

namespace Weir.Core.Yaml;

/// <summary>Go's <c>strconv.FormatFloat(f, 'g', -1, bits)</c>: shortest digits, exponent form below 1e-4 and from 1e+06.</summary>
internal static class GoFloat
{
    public static string FormatG(double value, int bits)
    {
        if (bits == 32)
        {
            value = (float)value;
        }

        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        var neg = double.IsNegative(value);
        var shortest = bits == 32
            ? Math.Abs((float)value).ToString("R", CultureInfo.InvariantCulture)
            : Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var (digits, dp) = Decompose(shortest);
        var sb = new StringBuilder();
        if (neg)
        {
            sb.Append('-');
        }

        var exp = dp - 1;
        if (digits.Length > 0 && (exp < -4 || exp >= 6))
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            sb.Append('e').Append(exp < 0 ? '-' : '+');
            var e = Math.Abs(exp);
            if (e < 10)
            {
                sb.Append('0');
            }

            sb.Append(e.ToString(CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        if (dp <= 0)
        {
            sb.Append('0');
        }
        else
        {
            for (var i = 0; i < dp; i++)
            {
                sb.Append(i < digits.Length ? digits[i] : '0');
            }
        }

        if (digits.Length > dp)
        {
            sb.Append('.');
            for (var i = dp; i < 0; i++)
            {
                sb.Append('0');
            }

            sb.Append(digits, Math.Max(dp, 0), digits.Length - Math.Max(dp, 0));
        }

        return sb.ToString();
    }

    /// <summary>Splits .NET's round-trip text into significant digits and the decimal point position.</summary>
    private static (string Digits, int Dp) Decompose(string text)
    {
        var exponent = 0;
        var ePos = text.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exponent = int.Parse(text[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..ePos];
        }

        var dot = text.IndexOf('.');
        var intPart = dot >= 0 ? text[..dot] : text;
        var fracPart = dot >= 0 ? text[(dot + 1)..] : "";
        var all = intPart + fracPart;
        var dp = intPart.Length + exponent;
        var lead = 0;
        while (lead < all.Length && all[lead] == '0')
        {
            lead++;
        }

        all = all[lead..].TrimEnd('0');
        dp -= lead;
        return all.Length == 0 ? ("", 0) : (all, dp);
    }
}
