using System.Text;
using System.Text.Json;

namespace Weir.Oci.Auth;

/// <summary>
/// Credentials from a docker config JSON, the <c>.dockerconfigjson</c> key of a
/// <c>kubernetes.io/dockerconfigjson</c> secret: <c>{"auths":{"host":{"auth":"base64(user:pass)"}}}</c>
/// or explicit <c>username</c>/<c>password</c>/<c>identitytoken</c>.
/// </summary>
public sealed class DockerConfig
{
    private readonly Dictionary<string, RegistryCredentials> _byHost;

    private DockerConfig(Dictionary<string, RegistryCredentials> byHost) => _byHost = byHost;

    /// <summary>Parses the JSON document; throws <see cref="FormatException"/> on a malformed entry.</summary>
    public static DockerConfig Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var byHost = new Dictionary<string, RegistryCredentials>(StringComparer.OrdinalIgnoreCase);
        if (doc.RootElement.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in auths.EnumerateObject())
            {
                byHost[NormalizeHost(entry.Name)] = ReadEntry(entry.Name, entry.Value);
            }
        }
        return new DockerConfig(byHost);
    }

    /// <summary>The credentials for <paramref name="host"/> (host[:port]), or null for anonymous access.</summary>
    public RegistryCredentials? For(string host) =>
        _byHost.TryGetValue(NormalizeHost(host), out var c) ? c : null;

    private static RegistryCredentials ReadEntry(string host, JsonElement e)
    {
        string? Get(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var user = Get("username");
        var pass = Get("password");
        var token = Get("identitytoken");
        if (Get("auth") is { Length: > 0 } auth)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            }
            catch (FormatException)
            {
                throw new FormatException($"docker config: the 'auth' of '{host}' is not base64");
            }
            var colon = decoded.IndexOf(':');
            if (colon < 0)
            {
                throw new FormatException($"docker config: the 'auth' of '{host}' is not user:password");
            }
            user = decoded[..colon];
            pass = decoded[(colon + 1)..];
        }
        return new RegistryCredentials(user ?? "", pass ?? "", token);
    }

    // Entries may be written as "https://host/v1/" or "host".
    private static string NormalizeHost(string key)
    {
        var h = key;
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (h.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                h = h[scheme.Length..];
            }
        }
        var slash = h.IndexOf('/');
        return slash >= 0 ? h[..slash] : h;
    }
}
