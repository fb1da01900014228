using System.Globalization;
using System.Text;
using Weir.Templates.Formatting;

namespace Weir.Templates.Values;

/// <summary>Go's time.Time: an instant and the location it is shown in; prints and formats with Go's layouts.</summary>
public sealed class GoTime : GoObject, IJsonMarshaler
{
    public static readonly GoType TimeType = new("time.Time", GoKind.Struct)
    {
        Stringer = v => ((GoTime)v.AsObject).Format("2006-01-02 15:04:05.999999999 -0700 MST"),
    };

    public GoTime(DateTimeOffset instant, TimeZoneInfo zone, long extraNanos = 0)
        : base(TimeType)
    {
        Zone = zone;
        Instant = TimeZoneInfo.ConvertTime(instant, zone);
        Nanos = extraNanos;
    }

    public DateTimeOffset Instant { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>Nanoseconds below .NET's 100 ns tick.</summary>
    public long Nanos { get; }

    public override IReadOnlyList<KeyValuePair<string, Value>> Fields => [];

    public override bool TryGetField(string name, out Value value)
    {
        value = default;
        return false;
    }

    public override bool GoEquals(GoObject other) => other is GoTime t && t.Instant == Instant && t.Nanos == Nanos && t.Zone.Id == Zone.Id;

    public long Unix => Instant.ToUnixTimeSeconds();

    public int Nanosecond => (int)((Instant.Ticks % TimeSpan.TicksPerSecond) * 100) + (int)Nanos;

    public static GoTime FromUnix(long seconds, TimeZoneInfo zone) => new(DateTimeOffset.FromUnixTimeSeconds(seconds), zone);

    public GoTime In(TimeZoneInfo zone) => new(Instant, zone, Nanos);

    public GoTime Add(long nanos) => new(Instant.AddTicks(nanos / 100), Zone, Nanos + (nanos % 100));

    public string MarshalJson() => "\"" + Format("2006-01-02T15:04:05.999999999Z07:00") + "\"";

    /// <summary>The zone abbreviation Go prints for MST: UTC for UTC; otherwise the offset (no abbreviation data in .NET).</summary>
    private string ZoneName()
    {
        if (Instant.Offset == TimeSpan.Zero && (Zone.Id is "UTC" or "Etc/UTC" or "Universal" || Zone == TimeZoneInfo.Utc))
        {
            return "UTC";
        }

        var off = Instant.Offset;
        var sign = off < TimeSpan.Zero ? '-' : '+';
        off = off.Duration();
        return off.Minutes == 0 ? $"{sign}{off.Hours:00}" : $"{sign}{off.Hours:00}{off.Minutes:00}";
    }

    public string Format(string layout)
    {
        var sb = new StringBuilder(layout.Length + 10);
        var t = Instant;
        var i = 0;
        while (i < layout.Length)
        {
            var (std, len, arg) = GoLayout.NextChunk(layout, i);
            if (std == GoLayout.Std.None)
            {
                sb.Append(layout, i, layout.Length - i);
                break;
            }

            sb.Append(layout, i, arg - i);
            i = arg + len;
            switch (std)
            {
                case GoLayout.Std.Year:
                    var y = t.Year;
                    sb.Append(y.ToString("0000", CultureInfo.InvariantCulture));
                    break;
                case GoLayout.Std.Year2:
                    sb.Append((t.Year % 100).ToString("00", CultureInfo.InvariantCulture));
                    break;
                case GoLayout.Std.LongMonth:
                    sb.Append(CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(t.Month));
                    break;
                case GoLayout.Std.Month:
                    sb.Append(CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(t.Month));
                    break;
                case GoLayout.Std.NumMonth:
                    sb.Append(t.Month);
                    break;
                case GoLayout.Std.ZeroMonth:
                    sb.Append(t.Month.ToString("00", CultureInfo.InvariantCulture));
                    break;
                case GoLayout.Std.LongWeekDay:
                    sb.Append(t.DayOfWeek.ToString());
                    break;
                case GoLayout.Std.WeekDay:
                    sb.Append(t.DayOfWeek.ToString()[..3]);
                    break;
                case GoLayout.Std.Day:
                    sb.Append(t.Day);
                    break;
                case GoLayout.Std.UnderDay:
                    sb.Append(t.Day < 10 ? " " : "").Append(t.Day);
                    break;
                case GoLayout.Std.ZeroDay:
                    sb.Append(t.Day.ToString("00", CultureInfo.InvariantCulture));
                    break;
                case GoLayout.Std.UnderYearDay:
                    sb.Append(t.DayOfYear.ToString(CultureInfo.InvariantCulture).PadLeft(3, ' '));
                    break;
                case GoLayout.Std.ZeroYearDay:
                    sb.Append(t.DayOfYear.ToString("000", CultureInfo.InvariantCulture));
                    break;
                case GoLayout.Std.Hour:
                    sb.Append(t.Hour.ToString("00", CultureInfo.InvariantCulture));
                    break;
                case GoLayout.Std.Hour12:
                    var h = t.Hour % 12;
                    sb.Append(h == 0 ? 12 : h);
                    break;
                case GoLayout.Std.ZeroHour12:
                    var h2 = t.Hour % 12;
                    sb.Append((h2 == 0 ? 12 : h2).ToString("00", CultureInfo.InvariantCulture));
                    break;
                case GoLayout.Std.Minute:
                    sb.Append(t.Minute);
                    break;
                case GoLayout.Std.ZeroMinute:
                    sb.Append(t.Minute.ToString("00", CultureInfo.InvariantCulture));
                    break;
                case GoLayout.Std.Second:
                    sb.Append(t.Second);
                    break;
                case GoLayout.Std.ZeroSecond:
                    sb.Append(t.Second.ToString("00", CultureInfo.InvariantCulture));
                    break;
                case GoLayout.Std.PM:
                    sb.Append(t.Hour >= 12 ? "PM" : "AM");
                    break;
                case GoLayout.Std.Pm:
                    sb.Append(t.Hour >= 12 ? "pm" : "am");
                    break;
                case GoLayout.Std.TZ:
                    sb.Append(ZoneName());
                    break;
                case GoLayout.Std.ISO8601TZ or GoLayout.Std.ISO8601ColonTZ or GoLayout.Std.ISO8601ShortTZ
                    or GoLayout.Std.ISO8601SecondsTZ or GoLayout.Std.ISO8601ColonSecondsTZ
                    or GoLayout.Std.NumTZ or GoLayout.Std.NumColonTZ or GoLayout.Std.NumShortTZ
                    or GoLayout.Std.NumSecondsTz or GoLayout.Std.NumColonSecondsTZ:
                    AppendOffset(sb, std, t.Offset);
                    break;
                case GoLayout.Std.FracSecond0 or GoLayout.Std.FracSecond9:
                    var digits = len - 1;
                    var frac = Nanosecond.ToString("000000000", CultureInfo.InvariantCulture)[..Math.Min(9, digits)];
                    if (std == GoLayout.Std.FracSecond9)
                    {
                        frac = frac.TrimEnd('0');
                        if (frac.Length > 0)
                        {
                            sb.Append(layout[arg]).Append(frac);
                        }
                    }
                    else
                    {
                        sb.Append(layout[arg]).Append(frac);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    private static void AppendOffset(StringBuilder sb, GoLayout.Std std, TimeSpan offset)
    {
        var iso = std is GoLayout.Std.ISO8601TZ or GoLayout.Std.ISO8601ColonTZ or GoLayout.Std.ISO8601ShortTZ
            or GoLayout.Std.ISO8601SecondsTZ or GoLayout.Std.ISO8601ColonSecondsTZ;
        if (iso && offset == TimeSpan.Zero)
        {
            sb.Append('Z');
            return;
        }

        var total = (int)offset.TotalSeconds;
        sb.Append(total < 0 ? '-' : '+');
        total = Math.Abs(total);
        var hh = total / 3600;
        var mm = total / 60 % 60;
        var ss = total % 60;
        sb.Append(hh.ToString("00", CultureInfo.InvariantCulture));
        if (std is GoLayout.Std.ISO8601ShortTZ or GoLayout.Std.NumShortTZ)
        {
            return;
        }

        var colon = std is GoLayout.Std.ISO8601ColonTZ or GoLayout.Std.NumColonTZ or GoLayout.Std.ISO8601ColonSecondsTZ or GoLayout.Std.NumColonSecondsTZ;
        if (colon)
        {
            sb.Append(':');
        }

        sb.Append(mm.ToString("00", CultureInfo.InvariantCulture));
        if (std is GoLayout.Std.ISO8601SecondsTZ or GoLayout.Std.NumSecondsTz or GoLayout.Std.ISO8601ColonSecondsTZ or GoLayout.Std.NumColonSecondsTZ)
        {
            if (colon)
            {
                sb.Append(':');
            }

            sb.Append(ss.ToString("00", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>time.ParseInLocation for the layout elements that carry numbers, months, weekdays, AM/PM and offsets.</summary>
    public static GoTime Parse(string layout, string value, TimeZoneInfo zone)
    {
        int year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0;
        var pm = false;
        var pmSet = false;
        TimeSpan? offset = null;
        var i = 0;
        var v = value;
        var original = value;
        while (true)
        {
            var (std, len, arg) = GoLayout.NextChunk(layout, i);
            var prefix = layout[i..(std == GoLayout.Std.None ? layout.Length : arg)];
            if (!v.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw Fail(layout, original, v, prefix);
            }

            v = v[prefix.Length..];
            if (std == GoLayout.Std.None)
            {
                if (v.Length > 0)
                {
                    throw new TemplateFunctionException($"parsing time {GoQuote.Quote(original)}: extra text: {GoQuote.Quote(v)}");
                }

                break;
            }

            i = arg + len;
            var stdText = layout.Substring(arg, len);
            switch (std)
            {
                case GoLayout.Std.Year:
                    year = Digits(ref v, 4, 4, layout, original, stdText);
                    break;
                case GoLayout.Std.Year2:
                    var yy = Digits(ref v, 2, 2, layout, original, stdText);
                    year = yy >= 69 ? yy + 1900 : yy + 2000;
                    break;
                case GoLayout.Std.LongMonth or GoLayout.Std.Month:
                    month = Lookup(ref v, std == GoLayout.Std.LongMonth ? CultureInfo.InvariantCulture.DateTimeFormat.MonthNames : CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedMonthNames, layout, original, stdText) + 1;
                    break;
                case GoLayout.Std.NumMonth or GoLayout.Std.ZeroMonth:
                    month = Digits(ref v, std == GoLayout.Std.ZeroMonth ? 2 : 1, 2, layout, original, stdText);
                    break;
                case GoLayout.Std.LongWeekDay or GoLayout.Std.WeekDay:
                    Lookup(ref v, std == GoLayout.Std.LongWeekDay ? CultureInfo.InvariantCulture.DateTimeFormat.DayNames : CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedDayNames, layout, original, stdText);
                    break;
                case GoLayout.Std.Day or GoLayout.Std.UnderDay or GoLayout.Std.ZeroDay:
                    if (std == GoLayout.Std.UnderDay && v.StartsWith(' '))
                    {
                        v = v[1..];
                    }

                    day = Digits(ref v, std == GoLayout.Std.ZeroDay ? 2 : 1, 2, layout, original, stdText);
                    break;
                case GoLayout.Std.Hour:
                    hour = Digits(ref v, 2, 2, layout, original, stdText);
                    break;
                case GoLayout.Std.Hour12 or GoLayout.Std.ZeroHour12:
                    hour = Digits(ref v, std == GoLayout.Std.ZeroHour12 ? 2 : 1, 2, layout, original, stdText);
                    break;
                case GoLayout.Std.Minute or GoLayout.Std.ZeroMinute:
                    minute = Digits(ref v, std == GoLayout.Std.ZeroMinute ? 2 : 1, 2, layout, original, stdText);
                    break;
                case GoLayout.Std.Second or GoLayout.Std.ZeroSecond:
                    second = Digits(ref v, std == GoLayout.Std.ZeroSecond ? 2 : 1, 2, layout, original, stdText);
                    if (v.Length > 1 && v[0] is '.' or ',' && char.IsAsciiDigit(v[1]) && GoLayout.NextChunk(layout, i).Std is not (GoLayout.Std.FracSecond0 or GoLayout.Std.FracSecond9))
                    {
                        var k = 1;
                        while (k < v.Length && char.IsAsciiDigit(v[k]))
                        {
                            k++;
                        }

                        nanos = Frac(v[1..k]);
                        v = v[k..];
                    }

                    break;
                case GoLayout.Std.PM or GoLayout.Std.Pm:
                    if (v.Length < 2)
                    {
                        throw Fail(layout, original, v, stdText);
                    }

                    var ap = v[..2].ToUpperInvariant();
                    pm = ap == "PM";
                    pmSet = ap is "AM" or "PM";
                    if (!pmSet)
                    {
                        throw Fail(layout, original, v, stdText);
                    }

                    v = v[2..];
                    break;
                case GoLayout.Std.TZ:
                    if (v.StartsWith("UTC", StringComparison.Ordinal))
                    {
                        offset = TimeSpan.Zero;
                        v = v[3..];
                        break;
                    }

                    var z = 0;
                    while (z < v.Length && char.IsAsciiLetterUpper(v[z]))
                    {
                        z++;
                    }

                    if (z < 3)
                    {
                        throw Fail(layout, original, v, stdText);
                    }

                    v = v[z..];
                    break;
                case GoLayout.Std.FracSecond0 or GoLayout.Std.FracSecond9:
                    if (v.Length > 0 && v[0] is '.' or ',')
                    {
                        var k = 1;
                        while (k < v.Length && char.IsAsciiDigit(v[k]))
                        {
                            k++;
                        }

                        nanos = Frac(v[1..k]);
                        v = v[k..];
                    }
                    else if (std == GoLayout.Std.FracSecond0)
                    {
                        throw Fail(layout, original, v, stdText);
                    }

                    break;
                default:
                    if (v.StartsWith('Z') && std.ToString().StartsWith("ISO", StringComparison.Ordinal))
                    {
                        offset = TimeSpan.Zero;
                        v = v[1..];
                        break;
                    }

                    if (v.Length < 3 || v[0] is not ('+' or '-'))
                    {
                        throw Fail(layout, original, v, stdText);
                    }

                    var sign = v[0] == '-' ? -1 : 1;
                    v = v[1..];
                    var oh = Digits(ref v, 2, 2, layout, original, stdText);
                    var om = 0;
                    var os = 0;
                    if (std is not (GoLayout.Std.NumShortTZ or GoLayout.Std.ISO8601ShortTZ))
                    {
                        if (v.StartsWith(':'))
                        {
                            v = v[1..];
                        }

                        om = Digits(ref v, 2, 2, layout, original, stdText);
                        if (std is GoLayout.Std.NumSecondsTz or GoLayout.Std.NumColonSecondsTZ or GoLayout.Std.ISO8601SecondsTZ or GoLayout.Std.ISO8601ColonSecondsTZ)
                        {
                            if (v.StartsWith(':'))
                            {
                                v = v[1..];
                            }

                            os = Digits(ref v, 2, 2, layout, original, stdText);
                        }
                    }

                    offset = TimeSpan.FromSeconds(sign * ((oh * 3600) + (om * 60) + os));
                    break;
            }
        }

        if (pmSet && hour < 12 && pm)
        {
            hour += 12;
        }
        else if (pmSet && hour == 12 && !pm)
        {
            hour = 0;
        }

        if (month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            throw new TemplateFunctionException($"parsing time {GoQuote.Quote(original)}: day out of range");
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(nanos / 100);
        var instant = offset is { } o ? new DateTimeOffset(local, o) : new DateTimeOffset(local, zone.GetUtcOffset(local));
        return new GoTime(instant, offset is null ? zone : zone, nanos % 100);
    }

    private static int Frac(string digits)
    {
        var d = digits.Length > 9 ? digits[..9] : digits.PadRight(9, '0');
        return int.Parse(d, CultureInfo.InvariantCulture);
    }

    private static TemplateFunctionException Fail(string layout, string value, string rest, string elem) =>
        new($"parsing time {GoQuote.Quote(value)} as {GoQuote.Quote(layout)}: cannot parse {GoQuote.Quote(rest)} as {GoQuote.Quote(elem)}");

    private static int Digits(ref string v, int min, int max, string layout, string original, string elem)
    {
        var k = 0;
        while (k < v.Length && k < max && char.IsAsciiDigit(v[k]))
        {
            k++;
        }

        if (k < min)
        {
            throw Fail(layout, original, v, elem);
        }

        var n = int.Parse(v[..k], CultureInfo.InvariantCulture);
        v = v[k..];
        return n;
    }

    private static int Lookup(ref string v, string[] names, string layout, string original, string elem)
    {
        for (var k = 0; k < names.Length; k++)
        {
            if (names[k].Length > 0 && v.StartsWith(names[k], StringComparison.OrdinalIgnoreCase))
            {
                v = v[names[k].Length..];
                return k;
            }
        }

        throw Fail(layout, original, v, elem);
    }
}

/// <summary>Go's time layout elements (nextStdChunk).</summary>
internal static class GoLayout
{
    public enum Std
    {
        None,
        LongMonth,
        Month,
        NumMonth,
        ZeroMonth,
        LongWeekDay,
        WeekDay,
        Day,
        UnderDay,
        ZeroDay,
        UnderYearDay,
        ZeroYearDay,
        Hour,
        Hour12,
        ZeroHour12,
        Minute,
        ZeroMinute,
        Second,
        ZeroSecond,
        Year,
        Year2,
        PM,
        Pm,
        TZ,
        ISO8601TZ,
        ISO8601SecondsTZ,
        ISO8601ShortTZ,
        ISO8601ColonTZ,
        ISO8601ColonSecondsTZ,
        NumTZ,
        NumSecondsTz,
        NumShortTZ,
        NumColonTZ,
        NumColonSecondsTZ,
        FracSecond0,
        FracSecond9,
    }

    private static bool StartsLower(string s, int i) => i < s.Length && s[i] >= 'a' && s[i] <= 'z';

    private static bool At(string s, int i, string what) => string.CompareOrdinal(s, i, what, 0, what.Length) == 0 && i + what.Length <= s.Length;

    /// <summary>The next layout element at or after <paramref name="from"/>: its kind, length and start.</summary>
    public static (Std Std, int Len, int Start) NextChunk(string layout, int from)
    {
        for (var i = from; i < layout.Length; i++)
        {
            var c = layout[i];
            switch (c)
            {
                case 'J':
                    if (At(layout, i, "Jan"))
                    {
                        if (At(layout, i, "January"))
                        {
                            return (Std.LongMonth, 7, i);
                        }

                        if (!StartsLower(layout, i + 3))
                        {
                            return (Std.Month, 3, i);
                        }
                    }

                    break;
                case 'M':
                    if (At(layout, i, "Mon"))
                    {
                        if (At(layout, i, "Monday"))
                        {
                            return (Std.LongWeekDay, 6, i);
                        }

                        if (!StartsLower(layout, i + 3))
                        {
                            return (Std.WeekDay, 3, i);
                        }
                    }

                    if (At(layout, i, "MST"))
                    {
                        return (Std.TZ, 3, i);
                    }

                    break;
                case '0':
                    if (i + 1 < layout.Length && layout[i + 1] >= '1' && layout[i + 1] <= '6')
                    {
                        var std = layout[i + 1] switch
                        {
                            '1' => Std.ZeroMonth,
                            '2' => Std.ZeroDay,
                            '3' => Std.ZeroHour12,
                            '4' => Std.ZeroMinute,
                            '5' => Std.ZeroSecond,
                            _ => Std.Year2,
                        };
                        return (std, 2, i);
                    }

                    if (At(layout, i, "002"))
                    {
                        return (Std.ZeroYearDay, 3, i);
                    }

                    break;
                case '1':
                    if (i + 1 < layout.Length && layout[i + 1] == '5')
                    {
                        return (Std.Hour, 2, i);
                    }

                    return (Std.NumMonth, 1, i);
                case '2':
                    if (At(layout, i, "2006"))
                    {
                        return (Std.Year, 4, i);
                    }

                    return (Std.Day, 1, i);
                case '_':
                    if (At(layout, i, "_2"))
                    {
                        if (At(layout, i + 1, "2006"))
                        {
                            return (Std.Year, 4, i + 1);
                        }

                        return (Std.UnderDay, 2, i);
                    }

                    if (At(layout, i, "__2"))
                    {
                        return (Std.UnderYearDay, 3, i);
                    }

                    break;
                case '3':
                    return (Std.Hour12, 1, i);
                case '4':
                    return (Std.Minute, 1, i);
                case '5':
                    return (Std.Second, 1, i);
                case 'P':
                    if (i + 1 < layout.Length && layout[i + 1] == 'M')
                    {
                        return (Std.PM, 2, i);
                    }

                    break;
                case 'p':
                    if (i + 1 < layout.Length && layout[i + 1] == 'm')
                    {
                        return (Std.Pm, 2, i);
                    }

                    break;
                case '-':
                    if (At(layout, i, "-070000"))
                    {
                        return (Std.NumSecondsTz, 7, i);
                    }

                    if (At(layout, i, "-07:00:00"))
                    {
                        return (Std.NumColonSecondsTZ, 9, i);
                    }

                    if (At(layout, i, "-0700"))
                    {
                        return (Std.NumTZ, 5, i);
                    }

                    if (At(layout, i, "-07:00"))
                    {
                        return (Std.NumColonTZ, 6, i);
                    }

                    if (At(layout, i, "-07"))
                    {
                        return (Std.NumShortTZ, 3, i);
                    }

                    break;
                case 'Z':
                    if (At(layout, i, "Z070000"))
                    {
                        return (Std.ISO8601SecondsTZ, 7, i);
                    }

                    if (At(layout, i, "Z07:00:00"))
                    {
                        return (Std.ISO8601ColonSecondsTZ, 9, i);
                    }

                    if (At(layout, i, "Z0700"))
                    {
                        return (Std.ISO8601TZ, 5, i);
                    }

                    if (At(layout, i, "Z07:00"))
                    {
                        return (Std.ISO8601ColonTZ, 6, i);
                    }

                    if (At(layout, i, "Z07"))
                    {
                        return (Std.ISO8601ShortTZ, 3, i);
                    }

                    break;
                case '.' or ',':
                    if (i + 1 < layout.Length && layout[i + 1] is '0' or '9')
                    {
                        var ch = layout[i + 1];
                        var j = i + 1;
                        while (j < layout.Length && layout[j] == ch)
                        {
                            j++;
                        }

                        if (!(j < layout.Length && char.IsAsciiDigit(layout[j])))
                        {
                            return (ch == '0' ? Std.FracSecond0 : Std.FracSecond9, j - i, i);
                        }
                    }

                    break;
            }
        }

        return (Std.None, 0, layout.Length);
    }
}
