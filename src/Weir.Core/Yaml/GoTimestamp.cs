using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Weir.Core.Yaml;

/// <summary>
/// The timestamp forms go-yaml recognises (Go time layouts <c>2006-1-2T15:4:5.999999999Z07:00</c>, lower-case
/// <c>t</c>, <c>2006-1-2 15:4:5.999999999</c> and <c>2006-1-2</c>), with Go's range checks; and the text Go's JSON
/// encoder gives such a time (RFC 3339 with nanoseconds, as kustomize prints a timestamp go-yaml v3 decoded).
/// </summary>
internal static partial class GoTimestamp
{
    public static bool IsTimestamp(string s) => Parse(s) is not null;

    /// <summary>Go's <c>time.Time</c> JSON text of the timestamp <paramref name="s"/>, e.g. <c>2001-12-14T21:59:43.1-05:00</c>.</summary>
    /// <exception cref="YamlException">Not a timestamp, or a time Go's JSON encoder refuses (zone offset of 24 hours or more).</exception>
    public static string ToJsonText(string s)
    {
        var m = Parse(s) ?? throw new YamlException($"yaml: cannot decode !!str `{s}` as a !!timestamp");
        int Num(string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Num("y"):D4}-{Num("mo"):D2}-{Num("d"):D2}T");
        if (m.Groups["h"].Success)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Num("h"):D2}:{Num("mi"):D2}:{Num("s"):D2}");
            var fraction = m.Groups["f"].Value;
            fraction = (fraction.Length > 9 ? fraction[..9] : fraction).TrimEnd('0');
            if (fraction.Length > 0)
            {
                text.Append('.').Append(fraction);
            }
        }
        else
        {
            text.Append("00:00:00");
        }

        var offset = m.Groups["zh"].Success ? (Num("zh") * 60) + Num("zm") : 0;
        if (offset == 0)
        {
            return text.Append('Z').ToString();
        }

        if (offset / 60 >= 24)
        {
            throw new YamlException("json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: timezone hour outside of range [0,23]");
        }

        return text.Append(CultureInfo.InvariantCulture, $"{m.Groups["sign"].Value}{offset / 60:D2}:{offset % 60:D2}").ToString();
    }

    private static Match? Parse(string s)
    {
        if (s.Length < 5 || !char.IsAsciiDigit(s[0]) || s[4] != '-')
        {
            return null;
        }

        var m = Layout().Match(s);
        if (!m.Success)
        {
            return null;
        }

        int Num(string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        var year = Num("y");
        var month = Num("mo");
        if (month is < 1 or > 12)
        {
            return null;
        }

        var day = Num("d");
        if (day < 1 || day > DaysIn(year, month))
        {
            return null;
        }

        if (!m.Groups["h"].Success)
        {
            return m;
        }

        if (Num("h") > 23 || Num("mi") > 59 || Num("s") > 59)
        {
            return null;
        }

        return !m.Groups["zh"].Success || (Num("zh") <= 24 && Num("zm") <= 60) ? m : null;
    }

    /// <summary>Days in a month of the proleptic Gregorian calendar, year 0 included (a leap year, as in Go).</summary>
    private static int DaysIn(int year, int month) =>
        month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : DateTime.DaysInMonth(2001, month);

    [GeneratedRegex(
        @"^(?<y>[0-9]{4})-(?<mo>[0-9]{1,2})-(?<d>[0-9]{1,2})(?:(?:[Tt](?<h>[0-9]{1,2}):(?<mi>[0-9]{1,2}):(?<s>[0-9]{1,2})(?:[.,](?<f>[0-9]+))?(?:Z|(?<sign>[+-])(?<zh>[0-9]{2}):(?<zm>[0-9]{2})))|(?: (?<h>[0-9]{1,2}):(?<mi>[0-9]{1,2}):(?<s>[0-9]{1,2})(?:[.,](?<f>[0-9]+))?))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Layout();
}
