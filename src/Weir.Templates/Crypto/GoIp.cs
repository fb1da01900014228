using System.Net;
using System.Net.Sockets;

namespace Weir.Templates.Crypto;

/// <summary>
/// Go's net.ParseIP: dotted IPv4 (four decimal fields, no leading zeros) or IPv6 (groups of one to four hex digits,
/// one "::", an IPv4 tail), nothing else — stricter than <see cref="IPAddress.TryParse(string, out IPAddress)"/>.
/// </summary>
internal static class GoIp
{
    public static IPAddress? Parse(string s)
    {
        foreach (var ch in s)
        {
            if (ch == '.')
            {
                return ParseV4(s) is { } v4 ? new IPAddress(v4) : null;
            }

            if (ch == ':')
            {
                return ParseV6(s);
            }
        }

        return null;
    }

    private static byte[]? ParseV4(string s)
    {
        var parts = s.Split('.');
        if (parts.Length != 4)
        {
            return null;
        }

        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var p = parts[i];
            if (p.Length is 0 or > 3 || (p.Length > 1 && p[0] == '0') || !p.All(char.IsAsciiDigit))
            {
                return null;
            }

            var n = int.Parse(p, System.Globalization.CultureInfo.InvariantCulture);
            if (n > 255)
            {
                return null;
            }

            bytes[i] = (byte)n;
        }

        return bytes;
    }

    private static IPAddress? ParseV6(string s)
    {
        var groups = s.Split(':');
        for (var i = 0; i < groups.Length; i++)
        {
            var g = groups[i];
            var valid = i == groups.Length - 1 && g.Contains('.')
                ? ParseV4(g) is not null
                : g.Length <= 4 && g.All(char.IsAsciiHexDigit);
            if (!valid)
            {
                return null;
            }
        }

        return IPAddress.TryParse(s, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 ? address : null;
    }
}
