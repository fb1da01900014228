using System.Globalization;
using System.Text.RegularExpressions;

namespace Weir.Core.Yaml;

/// <summary>
/// The timestamp forms go-yaml v2 recognises (Go time layouts <c>2006-1-2T15:4:5.999999999Z07:00</c>,
/// lower-case <c>t</c>, <c>2006-1-2 15:4:5.999999999</c> and <c>2006-1-2</c>), with Go's range checks.
/// </summary>
internal static partial class GoTimestamp
{
    public static bool IsTimestamp(string s)
    {
        if (s.Length < 5 || !char.IsAsciiDigit(s[0]) || s[4] != '-')
        {
            return false;
        }

        var m = Layout().Match(s);
        if (!m.Success)
        {
            return false;
        }

        int Num(string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        var year = Num("y");
        var month = Num("mo");
        if (month is < 1 or > 12)
        {
            return false;
        }

        var day = Num("d");
        if (day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month))
        {
            return false;
        }

        if (!m.Groups["h"].Success)
        {
            return true;
        }

        if (Num("h") > 23 || Num("mi") > 59 || Num("s") > 59)
        {
            return false;
        }

        return !m.Groups["zh"].Success || (Num("zh") <= 24 && Num("zm") <= 60);
    }

    [GeneratedRegex(
        @"^(?<y>[0-9]{4})-(?<mo>[0-9]{1,2})-(?<d>[0-9]{1,2})(?:(?:[Tt](?<h>[0-9]{1,2}):(?<mi>[0-9]{1,2}):(?<s>[0-9]{1,2})(?:[.,][0-9]+)?(?:Z|[+-](?<zh>[0-9]{2}):(?<zm>[0-9]{2})))|(?: (?<h>[0-9]{1,2}):(?<mi>[0-9]{1,2}):(?<s>[0-9]{1,2})(?:[.,][0-9]+)?))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Layout();
}
