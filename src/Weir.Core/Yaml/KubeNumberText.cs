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
    public static string Format(JsonValue value)
    {
        var raw = value.TryGetValue<JsonElement>(out var element) ? element.GetRawText() : null;
        if (raw is null && value.TryGetValue<object>(out var boxed))
        {
            switch (boxed)
            {
                case double d:
                    return FloatText(d);
                case float f:
                    return FloatText(f);
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

        return FloatText(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
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

        return GoFloat.FormatG(d, 64) switch
        {
            "+Inf" => ".inf",
            "-Inf" => "-.inf",
            "NaN" => ".nan",
            var text => text,
        };
    }
}
