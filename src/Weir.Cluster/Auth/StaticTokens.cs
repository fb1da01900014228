using System.Security.Cryptography;
using System.Text;

namespace Weir.Cluster.Auth;

/// <summary>
/// The static bearer tokens in <c>DataDir/auth/tokens.csv</c>, one user a line in Kubernetes' token-file form
/// <c>token,user,uid,"group1,group2"</c>. The file is re-read when it changes, so <c>weir cluster add-user</c>
/// works against a running server.
/// </summary>
public sealed class StaticTokens(string dataDir)
{
    public const string AdminUser = "admin";
    private readonly object _gate = new();
    private Dictionary<string, UserInfo> _byToken = new(StringComparer.Ordinal);
    private DateTime _loadedStamp = DateTime.MinValue;

    public static string FilePath(string dataDir) => Path.Combine(dataDir, "auth", "tokens.csv");

    public UserInfo? Authenticate(string token)
    {
        lock (_gate)
        {
            var stamp = File.Exists(FilePath(dataDir)) ? File.GetLastWriteTimeUtc(FilePath(dataDir)) : DateTime.MinValue;
            if (stamp != _loadedStamp)
            {
                _byToken = Read(dataDir).ToDictionary(e => e.Token, e => e.User, StringComparer.Ordinal);
                _loadedStamp = stamp;
            }
            foreach (var (known, user) in _byToken)
            {
                if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(known), Encoding.UTF8.GetBytes(token)))
                {
                    return user;
                }
            }
            return null;
        }
    }

    /// <summary>The user's token, adding the user (with these groups) when missing.</summary>
    public static string Ensure(string dataDir, string user, IReadOnlyList<string> groups)
    {
        var path = FilePath(dataDir);
        using var mutex = FileLock.Acquire(path + ".lock");
        var entries = Read(dataDir);
        var existing = entries.FirstOrDefault(e => e.User.Name == user);
        if (existing.Token is not null)
        {
            return existing.Token;
        }
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        entries.Add((token, new UserInfo(user, [.. groups, UserInfo.Authenticated])));
        var text = new StringBuilder();
        foreach (var (t, u) in entries)
        {
            var own = u.Groups.Where(g => g != UserInfo.Authenticated);
            text.Append(t).Append(',').Append(u.Name).Append(',').Append(u.Name).Append(",\"").Append(string.Join(',', own)).Append("\"\n");
        }
        SecretFile.Write(path, text.ToString());
        return token;
    }

    private static List<(string Token, UserInfo User)> Read(string dataDir)
    {
        var path = FilePath(dataDir);
        var result = new List<(string, UserInfo)>();
        if (!File.Exists(path))
        {
            return result;
        }
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var quote = line.IndexOf('"', StringComparison.Ordinal);
            var head = (quote < 0 ? line : line[..quote]).Split(',');
            if (head.Length < 2 || head[0] == "" || head[1] == "")
            {
                continue;
            }
            var groups = quote < 0 ? [] : line[(quote + 1)..].TrimEnd('"').Split(',', StringSplitOptions.RemoveEmptyEntries);
            result.Add((head[0], new UserInfo(head[1], [.. groups, UserInfo.Authenticated])));
        }
        return result;
    }
}
