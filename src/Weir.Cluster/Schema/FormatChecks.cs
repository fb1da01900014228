using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Weir.Cluster.Schema;

/// <summary>The OpenAPI string formats the Kubernetes API server checks; unknown formats pass.</summary>
internal static partial class FormatChecks
{
    public static bool Matches(string format, string s) => format switch
    {
        "date-time" or "datetime" => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && s.Contains('T', StringComparison.OrdinalIgnoreCase),
        "date" => DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "byte" => IsBase64(s),
        "uuid" => Guid.TryParse(s, out _),
        "ipv4" => IPAddress.TryParse(s, out var a4) && a4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork,
        "ipv6" => IPAddress.TryParse(s, out var a6) && a6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6,
        "uri" => Uri.TryCreate(s, UriKind.Absolute, out _),
        "email" => EmailRegex().IsMatch(s),
        "hostname" => s.Length <= 253 && HostnameRegex().IsMatch(s),
        "duration" => DurationRegex().IsMatch(s),
        _ => true,
    };

    private static bool IsBase64(string s)
    {
        var buffer = new byte[s.Length];
        return Convert.TryFromBase64String(s, buffer, out _);
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+$")]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*$")]
    private static partial Regex HostnameRegex();

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$|^0$")]
    private static partial Regex DurationRegex();
}
