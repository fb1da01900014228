using System.Globalization;
using Weir.Templates.Formatting;
using Weir.Templates.Values;
using static Weir.Templates.Functions.FunctionBuilder;

namespace Weir.Templates.Functions;

/// <summary>Sprig's date.go with the clock from <see cref="TemplateOptions.Clock"/>.</summary>
internal static class DateFunctions
{
    private static readonly GoType Time = GoTime.TimeType;

    public static IReadOnlyList<TemplateFunction> Create()
    {
        var b = new FunctionBuilder();
        b.Add("now", [], static (c, _) => Value.Object(Now(c)));
        b.Add("date", [Str, Any], static (c, a) => Value.String(DateInZone(c, a[0].AsString, a[1], "Local")));
        b.Add("dateInZone", [Str, Any, Str], static (c, a) => Value.String(DateInZone(c, a[0].AsString, a[1], a[2].AsString)));
        b.Alias("date_in_zone", "dateInZone");
        b.Add("htmlDate", [Any], static (c, a) => Value.String(DateInZone(c, "2006-01-02", a[0], "Local")));
        b.Add("htmlDateInZone", [Any, Str], static (c, a) => Value.String(DateInZone(c, "2006-01-02", a[0], a[1].AsString)));
        b.Add("dateModify", [Str, Time], static (_, a) =>
            GoDuration.TryParse(a[0].AsString, out var d, out var ignored) ? Value.Object(((GoTime)a[1].AsObject).Add(d)) : a[1]);
        b.Alias("date_modify", "dateModify");
        b.Add("mustDateModify", [Str, Time], static (_, a) =>
            GoDuration.TryParse(a[0].AsString, out var d, out var e) ? Value.Object(((GoTime)a[1].AsObject).Add(d)) : throw new TemplateFunctionException(e));
        b.Alias("must_date_modify", "mustDateModify");
        b.Add("ago", [Any], static (c, a) =>
        {
            var t = ToTime(c, a[0]) ?? Now(c);
            var since = (Now(c).Instant - t.Instant).Ticks * 100;
            return Value.String(GoDuration.Format(RoundToSecond(since)));
        });
        b.Add("duration", [Any], static (_, a) =>
        {
            long n = a[0].Ref switch
            {
                string s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var x) ? x : 0,
                GoType t when ReferenceEquals(t, GoType.Int64) => a[0].RawInt,
                _ => 0,
            };
            return Value.String(GoDuration.Format(unchecked(n * 1_000_000_000)));
        });
        b.Add("durationRound", [Any], static (c, a) => Value.String(DurationRound(c, a[0])));
        b.Add("toDate", [Str, Str], static (_, a) =>
        {
            try
            {
                return Value.Object(GoTime.Parse(a[0].AsString, a[1].AsString, TimeZoneInfo.Local));
            }
            catch (TemplateFunctionException)
            {
                return Value.Object(new GoTime(new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc));
            }
        });
        b.Add("mustToDate", [Str, Str], static (_, a) => Value.Object(GoTime.Parse(a[0].AsString, a[1].AsString, TimeZoneInfo.Local)));
        b.Add("unixEpoch", [Time], static (_, a) => Value.String(((GoTime)a[0].AsObject).Unix.ToString(CultureInfo.InvariantCulture)));
        return b.Functions;
    }

    private static GoTime Now(ExecutionContext c) => new(c.Options.Clock.GetUtcNow(), TimeZoneInfo.Local);

    private static long RoundToSecond(long d)
    {
        const long s = 1_000_000_000;
        var r = d % s;
        if (d < 0)
        {
            r = -r;
            return r + r < s ? d + r : d - (s - r);
        }

        return r + r < s ? d - r : d + (s - r);
    }

    private static GoTime? ToTime(ExecutionContext c, in Value v) => v.Ref switch
    {
        GoTime t => t,
        GoType t when ReferenceEquals(t, GoType.Int64) || ReferenceEquals(t, GoType.Int) || ReferenceEquals(t, GoType.Int32) => GoTime.FromUnix(v.RawInt, TimeZoneInfo.Local),
        _ => null,
    };

    private static string DateInZone(ExecutionContext c, string layout, in Value date, string zone)
    {
        var t = ToTime(c, date) ?? Now(c);
        TimeZoneInfo loc;
        try
        {
            loc = zone switch
            {
                "Local" => TimeZoneInfo.Local,
                "UTC" or "" => TimeZoneInfo.Utc,
                _ => TimeZoneInfo.FindSystemTimeZoneById(zone),
            };
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            loc = TimeZoneInfo.Utc;
        }

        return t.In(loc).Format(layout);
    }

    private static string DurationRound(ExecutionContext c, in Value v)
    {
        long d = v.Ref switch
        {
            string s => GoDuration.TryParse(s, out var x, out _) ? x : 0,
            GoType t when ReferenceEquals(t, GoType.Int64) => v.RawInt,
            GoTime t => (Now(c).Instant - t.Instant).Ticks * 100,
            _ => 0,
        };
        var u = d < 0 ? unchecked((ulong)(-d)) : (ulong)d;
        const ulong second = 1_000_000_000UL;
        const ulong minute = 60 * second;
        const ulong hour = 60 * minute;
        const ulong day = 24 * hour;
        const ulong month = 30 * day;
        const ulong year = 365 * day;
        return u switch
        {
            > year => (u / year) + "y",
            > month => (u / month) + "mo",
            > day => (u / day) + "d",
            > hour => (u / hour) + "h",
            > minute => (u / minute) + "m",
            > second => (u / second) + "s",
            _ => "0s",
        };
    }
}
