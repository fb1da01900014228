using System.Globalization;
using System.Text.RegularExpressions;

namespace Weir.Core.Cel;

/// <summary>
/// CEL's timestamp (<see cref="DateTimeOffset"/>, UTC) and duration (<see cref="TimeSpan"/>) values: parsing from
/// RFC 3339 and Go duration text, formatting back, arithmetic, and the UTC accessor functions.
/// </summary>
internal static partial class CelTime
{
    [GeneratedRegex(@"^([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex DurationPart();

    public static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"], CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal, out var value)
            ? value.ToUniversalTime()
            : throw new CelException($"timestamp('{text}'): invalid timestamp");

    public static TimeSpan ParseDuration(string text) =>
        TryParseDuration(text, out var value) ? value : throw new CelException($"duration('{text}'): invalid duration");

    /// <summary>Go's <c>time.ParseDuration</c>: a signed sequence of decimal numbers with units ns, us, ms, s, m, h.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var rest = text;
        var negative = rest.StartsWith('-');
        if (negative || rest.StartsWith('+'))
        {
            rest = rest[1..];
        }

        if (rest == "0")
        {
            return true;
        }

        if (rest.Length == 0)
        {
            return false;
        }

        double ticks = 0;
        while (rest.Length > 0)
        {
            var match = DurationPart().Match(rest);
            if (!match.Success)
            {
                return false;
            }

            var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += number * match.Groups[3].Value switch
            {
                "ns" => 0.01,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
            rest = rest[match.Length..];
        }

        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)Math.Round(negative ? -ticks : ticks));
        return true;
    }

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) + "Z";

    public static string Format(TimeSpan value) =>
        (value.Ticks / (double)TimeSpan.TicksPerSecond).ToString("0.#######", CultureInfo.InvariantCulture) + "s";

    public static object? Add(object? a, object? b) => (a, b) switch
    {
        (DateTimeOffset t, TimeSpan d) => Checked(() => t + d),
        (TimeSpan d, DateTimeOffset t) => Checked(() => t + d),
        (TimeSpan x, TimeSpan y) => Checked(() => x + y),
        _ => null,
    };

    public static object? Subtract(object? a, object? b) => (a, b) switch
    {
        (DateTimeOffset x, DateTimeOffset y) => Checked(() => x - y),
        (DateTimeOffset t, TimeSpan d) => Checked(() => t - d),
        (TimeSpan x, TimeSpan y) => Checked(() => x - y),
        _ => null,
    };

    /// <summary>The accessor functions on timestamps (in UTC) and durations; null when the function is not one.</summary>
    public static object? Accessor(object? target, string function) => (target, function) switch
    {
        (DateTimeOffset t, "getFullYear") => (long)t.UtcDateTime.Year,
        (DateTimeOffset t, "getMonth") => (long)t.UtcDateTime.Month - 1,
        (DateTimeOffset t, "getDayOfYear") => (long)t.UtcDateTime.DayOfYear - 1,
        (DateTimeOffset t, "getDayOfMonth") => (long)t.UtcDateTime.Day - 1,
        (DateTimeOffset t, "getDate") => (long)t.UtcDateTime.Day,
        (DateTimeOffset t, "getDayOfWeek") => (long)t.UtcDateTime.DayOfWeek,
        (DateTimeOffset t, "getHours") => (long)t.UtcDateTime.Hour,
        (DateTimeOffset t, "getMinutes") => (long)t.UtcDateTime.Minute,
        (DateTimeOffset t, "getSeconds") => (long)t.UtcDateTime.Second,
        (DateTimeOffset t, "getMilliseconds") => (long)t.UtcDateTime.Millisecond,
        (TimeSpan d, "getHours") => (long)d.TotalHours,
        (TimeSpan d, "getMinutes") => (long)d.TotalMinutes,
        (TimeSpan d, "getSeconds") => (long)d.TotalSeconds,
        (TimeSpan d, "getMilliseconds") => (long)d.TotalMilliseconds,
        _ => null,
    };

    private static object Checked<T>(Func<T> operation) where T : notnull
    {
        try
        {
            return operation();
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            throw new CelException("timestamp or duration overflow");
        }
    }
}
