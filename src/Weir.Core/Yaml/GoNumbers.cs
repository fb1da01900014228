using System.Globalization;
using System.Text.RegularExpressions;

namespace Weir.Core.Yaml;

/// <summary>Go's strconv number syntax, as far as the YAML resolver relies on it.</summary>
internal static partial class GoNumbers
{
    /// <summary>strconv.ParseInt(s, 0, 64): sign, then 0x/0o/0b prefixes, leading-zero octal or decimal.</summary>
    public static bool TryParseInt(string s, out long result)
    {
        result = 0;
        var neg = false;
        var body = s;
        if (body.Length > 0 && (body[0] == '+' || body[0] == '-'))
        {
            neg = body[0] == '-';
            body = body[1..];
        }

        if (!TryParseMagnitude(body, out var mag))
        {
            return false;
        }

        if (neg)
        {
            if (mag > 1UL << 63)
            {
                return false;
            }

            result = mag == 1UL << 63 ? long.MinValue : -(long)mag;
            return true;
        }

        if (mag > long.MaxValue)
        {
            return false;
        }

        result = (long)mag;
        return true;
    }

    /// <summary>strconv.ParseUint(s, 0, 64): no sign allowed.</summary>
    public static bool TryParseUInt(string s, out ulong result) => TryParseMagnitude(s, out result);

    private static bool TryParseMagnitude(string s, out ulong result)
    {
        result = 0;
        if (s.Length == 0)
        {
            return false;
        }

        var radix = 10;
        var digits = s;
        if (s.Length >= 2 && s[0] == '0')
        {
            switch (s[1])
            {
                case 'x' or 'X':
                    radix = 16;
                    digits = s[2..];
                    break;
                case 'o' or 'O':
                    radix = 8;
                    digits = s[2..];
                    break;
                case 'b' or 'B':
                    radix = 2;
                    digits = s[2..];
                    break;
                default:
                    radix = 8;
                    digits = s[1..];
                    break;
            }
        }

        if (digits.Length == 0)
        {
            return false;
        }

        foreach (var c in digits)
        {
            var v = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'z' => c - 'a' + 10,
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => 99,
            };
            if (v >= radix)
            {
                return false;
            }

            var next = (result * (ulong)radix) + (ulong)v;
            if (result > (ulong.MaxValue - (ulong)v) / (ulong)radix)
            {
                return false;
            }

            result = next;
        }

        return true;
    }

    /// <summary>strconv.ParseFloat(s, 64) for decimal text; out-of-range values fail as in Go.</summary>
    public static bool TryParseFloat(string s, out double result)
    {
        result = 0;
        if (!DecimalFloat().IsMatch(s))
        {
            return false;
        }

        var clean = s.Replace("_", "", StringComparison.Ordinal);
        if (!double.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out result))
        {
            return false;
        }

        return !double.IsInfinity(result);
    }

    // Go accepts underscores only between digits in decimal floats.
    [GeneratedRegex(@"^[-+]?(([0-9](_?[0-9])*)?\.?([0-9](_?[0-9])*)?)([eE][-+]?[0-9](_?[0-9])*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalFloat();
}
