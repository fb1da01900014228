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

    private static string FloatText(double d)
    {
        if (double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) < 1e21)
        {
            if (d >= long.MinValue && d < 9223372036854775808.0)
            {
                return ((long)d).ToString(CultureInfo.InvariantCulture);
            }

            if (d > 0 && d < 18446744073709551616.0)
            {
                return ((ulong)d).ToString(CultureInfo.InvariantCulture);
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
