using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Weir.Core.Time;

/// <summary>
/// Duration strings as Flux's APIs accept them (<c>^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$</c>) and as Go's
/// <c>time.Duration.String()</c> prints them (<c>1m30s</c>, <c>5m0s</c>, <c>1h0m0s</c>, <c>500ms</c>).
/// </summary>
public static partial class FluxDuration
{
    /// <summary>The pattern Flux's CRDs put on duration fields.</summary>
    public const string Pattern = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

    /// <summary>The pattern on source timeouts, which have no hour unit.</summary>
    public const string TimeoutPattern = "^([0-9]+(\\.[0-9]+)?(ms|s|m))+$";

    [GeneratedRegex("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)")]
    private static partial Regex Component();

    [GeneratedRegex(Pattern)]
    private static partial Regex Whole();

    public static bool IsValid(string? text) => text is not null && Whole().IsMatch(text);

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"invalid duration \"{text}\": must match {Pattern}");

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (!IsValid(text))
        {
            return false;
        }

        decimal ticks = 0;
        foreach (Match m in Component().Matches(text!))
        {
            var amount = decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += amount * m.Groups[2].Value switch
            {
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
        }

        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)decimal.Round(ticks));
        return true;
    }

    /// <summary>Formats like Go's <c>time.Duration.String()</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        // Go's Duration is in nanoseconds; one tick is 100ns.
        var nanos = (decimal)duration.Ticks * 100;
        if (nanos == 0)
        {
            return "0s";
        }

        var sb = new StringBuilder();
        if (nanos < 0)
        {
            sb.Append('-');
            nanos = -nanos;
        }

        if (nanos < 1_000_000_000)
        {
            // Sub-second: the largest unit that keeps a leading digit, with a fraction.
            var (unit, size) = nanos < 1_000 ? ("ns", 1m) : nanos < 1_000_000 ? ("µs", 1_000m) : ("ms", 1_000_000m);
            sb.Append(FormatFraction(nanos / size)).Append(unit);
            return sb.ToString();
        }

        var hours = decimal.Floor(nanos / 3_600_000_000_000m);
        nanos -= hours * 3_600_000_000_000m;
        var minutes = decimal.Floor(nanos / 60_000_000_000m);
        nanos -= minutes * 60_000_000_000m;
        if (hours > 0)
        {
            sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            sb.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        sb.Append(FormatFraction(nanos / 1_000_000_000m)).Append('s');
        return sb.ToString();
    }

    private static string FormatFraction(decimal value)
    {
        var text = value.ToString("0.#########", CultureInfo.InvariantCulture);
        return text;
    }
}
