using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Weir.Cluster.Auth;

/// <summary>
/// Tokens for ServiceAccounts, minted by the TokenRequest subresource (<c>kubectl create token NAME</c>):
/// <c>weirsa.BASE64URL(namespace:name:uid:expiry).BASE64URL(HMAC-SHA256)</c>, signed with a key generated once into
/// <c>DataDir/auth/sa.key</c>. A token stops working when it expires or its ServiceAccount (same uid) is gone.
/// </summary>
public sealed class ServiceAccountTokens
{
    private const string Prefix = "weirsa.";
    private readonly byte[] _key;

    public ServiceAccountTokens(string dataDir)
    {
        var path = Path.Combine(dataDir, "auth", "sa.key");
        if (!File.Exists(path))
        {
            SecretFile.Write(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }
        _key = Convert.FromBase64String(File.ReadAllText(path).Trim());
    }

    public string Mint(string ns, string name, string uid, DateTimeOffset expires)
    {
        var claims = Encode(Encoding.UTF8.GetBytes($"{ns}:{name}:{uid}:{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}"));
        return Prefix + claims + "." + Encode(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(claims)));
    }

    /// <summary>The ServiceAccount a valid token names (namespace, name, uid); the caller checks it still exists.</summary>
    public (string Namespace, string Name, string Uid)? Verify(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = token[Prefix.Length..].Split('.');
        if (parts.Length != 2)
        {
            return null;
        }
        var expected = Encoding.ASCII.GetBytes(Encode(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(parts[0]))));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[1])))
        {
            return null;
        }
        var claims = Encoding.UTF8.GetString(Decode(parts[0])).Split(':');
        if (claims.Length != 4 || !long.TryParse(claims[3], CultureInfo.InvariantCulture, out var exp) || DateTimeOffset.FromUnixTimeSeconds(exp) < DateTimeOffset.UtcNow)
        {
            return null;
        }
        return (claims[0], claims[1], claims[2]);
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - (s.Length % 4)) % 4));
    }
}
