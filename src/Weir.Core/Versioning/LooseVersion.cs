using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Semver;

namespace Weir.Core.Versioning;

/// <summary>
/// Parses versions the lenient way Masterminds/semver's NewVersion does (the parser Flux
/// applies to OCI tags): optional lowercase <c>v</c>, optional minor and patch, leading
/// zeros allowed in the numeric core but not in numeric prerelease identifiers.
/// </summary>
public static partial class LooseVersion
{
    [GeneratedRegex(@"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string text, out SemVersion version, out string error)
    {
        version = SemVersion.ParsedFrom(0);
        var m = Pattern().Match(text);
        if (!m.Success)
        {
            error = "Invalid Semantic Version";
            return false;
        }
        if (!TrySegment(m.Groups[1].Value, out var major, out error)
            || !TrySegment(m.Groups[2].Value.TrimStart('.'), out var minor, out error)
            || !TrySegment(m.Groups[3].Value.TrimStart('.'), out var patch, out error))
        {
            return false;
        }
        var pre = m.Groups[5].Value;
        foreach (var id in pre.Length == 0 ? [] : pre.Split('.'))
        {
            if (id.Length > 1 && id[0] == '0' && id.All(char.IsAsciiDigit))
            {
                error = "Version segment starts with 0";
                return false;
            }
        }
        version = SemVersion.ParsedFrom(major, minor, patch, pre, m.Groups[8].Value, allowLeadingZeros: false);
        error = "";
        return true;
    }

    /// <summary>Parses <paramref name="text"/> or returns null.</summary>
    public static SemVersion? ParseOrNull(string text) => TryParse(text, out var v, out _) ? v : null;

    /// <summary>
    /// Precedence as Masterminds orders versions: numeric core, then prerelease identifiers,
    /// where an identifier only counts as numeric if it fits in 64 bits (larger ones compare as text).
    /// </summary>
    public static int Compare(SemVersion a, SemVersion b)
    {
        var core = a.Major != b.Major ? a.Major.CompareTo(b.Major)
            : a.Minor != b.Minor ? a.Minor.CompareTo(b.Minor)
            : a.Patch.CompareTo(b.Patch);
        if (core != 0)
        {
            return Math.Sign(core);
        }
        return ComparePrerelease(a.Prerelease, b.Prerelease);
    }

    /// <summary>Compares prerelease strings; a release (empty) ranks above any prerelease.</summary>
    public static int ComparePrerelease(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return a.Length == b.Length ? 0 : a.Length == 0 ? 1 : -1;
        }
        var x = a.Split('.');
        var y = b.Split('.');
        for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            var d = CompareIdentifier(i < x.Length ? x[i] : "", i < y.Length ? y[i] : "");
            if (d != 0)
            {
                return d;
            }
        }
        return 0;
    }

    private static int CompareIdentifier(string s, string o)
    {
        if (s == o)
        {
            return 0;
        }
        if (s.Length == 0 || o.Length == 0)
        {
            return s.Length == 0 ? -1 : 1;
        }
        var sNumeric = ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var si);
        var oNumeric = ulong.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out var oi);
        return (sNumeric, oNumeric) switch
        {
            (false, false) => string.CompareOrdinal(s, o) > 0 ? 1 : -1,
            (true, false) => -1,
            (false, true) => 1,
            _ => si > oi ? 1 : -1,
        };
    }

    private static bool TrySegment(string digits, out BigInteger value, out string error)
    {
        error = "";
        value = BigInteger.Zero;
        if (digits.Length == 0)
        {
            return true;
        }
        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            error = $"Error parsing version segment: strconv.ParseUint: parsing \"{digits}\": value out of range";
            return false;
        }
        value = n;
        return true;
    }
}
