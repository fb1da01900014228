using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Core.Yaml;

/// <summary>How kubectl prints a JSON number.</summary>
internal static class KubeNumberText
{
    /// <summary>
    /// Number text as kubectl prints it: the value goes through Go's JSON encoding (whole floats below 1e21
    /// become integers) and back through go-yaml, which writes other floats in %g form.
    /// </summary>
    /// <remarks>With goFloats, yaml.v3's form: floats in %g form even when whole (<c>1e+06</c>, <c>3</c>, <c>-0</c>).</remarks>
    public static string Format(JsonValue value, bool goFloats = false)
    {
        var raw = value.TryGetValue<JsonElement>(out var element) ? element.GetRawText() : null;
        if (raw is null && value.TryGetValue<object>(out var boxed))
        {
            switch (boxed)
            {
                case double d:
                    return goFloats ? GoFloatText(d, 64) : FloatText(d);
                case float f:
                    return goFloats ? GoFloatText(f, 32) : FloatText(f);
                case decimal m:
                    return FloatText((double)m);
                case Half h:
                    return FloatText((double)h);
            }
        }

        raw ??= value.ToJsonString();
        if (GoNumbers.TryParseInt(raw, out var l) && !raw.StartsWith('0') && !raw.StartsWith("-0", StringComparison.Ordinal))
        {
            return l.ToString(CultureInfo.InvariantCulture);
        }

        if (raw == "0" || raw == "-0")
        {
            return "0";
        }

        if (GoNumbers.TryParseUInt(raw, out var u) && !raw.StartsWith('0'))
        {
            return u.ToString(CultureInfo.InvariantCulture);
        }

        var parsed = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        return goFloats ? GoFloatText(parsed, 64) : FloatText(parsed);
    }

    /// <summary>Go's <c>strconv.FormatFloat(d, 'f', -1, 64)</c> for a whole number: the shortest round-trip digits, then zeros.</summary>
    private static string IntegralJsonText(double d)
    {
        var shortest = d.ToString("R", CultureInfo.InvariantCulture);
        if (!shortest.Contains('E', StringComparison.Ordinal))
        {
            return shortest;
        }

        var exponentAt = shortest.IndexOf('E', StringComparison.Ordinal);
        var exponent = int.Parse(shortest[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = shortest[..exponentAt];
        var negative = mantissa.StartsWith('-');
        var digits = mantissa.TrimStart('-').Replace(".", "", StringComparison.Ordinal);
        return (negative ? "-" : "") + digits.PadRight(exponent + 1, '0');
    }

    private static string FloatText(double d)
    {
        if (double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) < 1e21)
        {
            // Go's JSON writes the shortest digits padded with zeros (2^63 becomes 9223372036854776000), which go-yaml
            // then reads as an integer only when it fits.
            var json = IntegralJsonText(d);
            if (GoNumbers.TryParseInt(json, out var l))
            {
                return l.ToString(CultureInfo.InvariantCulture);
            }

            if (GoNumbers.TryParseUInt(json, out var u))
            {
                return u.ToString(CultureInfo.InvariantCulture);
            }
        }

        return GoFloatText(d, 64);
    }

    private static string GoFloatText(double d, int bitSize)
    {
        return GoFloat.FormatG(d, bitSize) switch
        {
            "+Inf" => ".inf",
            "-Inf" => "-.inf",
            "NaN" => ".nan",
            var text => text,
        };
    }
}
