using System.Text;

namespace Weir.Sources.GitRepositories;

/// <summary>
/// How git reaches one repository: its URL, credentials from the <c>secretRef</c> (<c>username</c>/<c>password</c>,
/// <c>bearerToken</c>, <c>identity</c> with <c>known_hosts</c>, <c>ca.crt</c>) and a proxy from the
/// <c>proxySecretRef</c>, turned into git configuration passed through the environment (never the command line).
/// Key files live in a private temporary directory removed on dispose. Every secret value, and the password of a URL
/// with user information, is redacted from what git prints.
/// </summary>
public sealed class GitAccess : IDisposable
{
    private readonly List<(string Key, string Value)> _config = [];
    private readonly Dictionary<string, string> _environment = [];
    private readonly List<string> _secrets = [];
    private DirectoryInfo? _files;

    public GitAccess(string url)
    {
        Url = url;
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Split(':', 2) is [_, { Length: > 0 } password])
        {
            _secrets.Add(password);
            _secrets.Add(Uri.UnescapeDataString(password));
        }

        RedactedUrl = Redact(url);
    }

    public string Url { get; }

    /// <summary>The URL with any password replaced by <c>xxxxx</c>, as Go's <c>url.Redacted</c> writes it.</summary>
    public string RedactedUrl { get; }

    /// <summary>The proxy's address without credentials, when a <c>proxySecretRef</c> set one.</summary>
    public string? Proxy { get; private set; }

    public bool IsSsh => Url.StartsWith("ssh://", StringComparison.Ordinal);

    /// <summary>Applies a <c>secretRef</c>'s keys; throws <see cref="GitException"/> when they do not fit the URL.</summary>
    public void UseSecret(IReadOnlyDictionary<string, string> data)
    {
        if (data.GetValueOrDefault("ca.crt") is { Length: > 0 } ca)
        {
            _config.Add(("http.sslCAInfo", WriteFile("ca.crt", ca)));
        }

        if (IsSsh)
        {
            if (data.GetValueOrDefault("identity") is not { Length: > 0 } identity)
            {
                return;
            }

            if (data.GetValueOrDefault("known_hosts") is not { Length: > 0 } knownHosts)
            {
                throw new GitException("invalid 'ssh' auth option: 'known_hosts' is required");
            }

            var key = WriteFile("identity", identity.EndsWith('\n') ? identity : identity + "\n");
            var hosts = WriteFile("known_hosts", knownHosts);
            _environment["GIT_SSH_COMMAND"] = $"ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes "
                + $"-o UserKnownHostsFile='{hosts}' -i '{key}'";
            _secrets.Add(identity.Trim());
            return;
        }

        if (data.GetValueOrDefault("bearerToken") is { Length: > 0 } token)
        {
            _secrets.Add(token);
            _config.Add((ExtraHeaderKey, "Authorization: Bearer " + token));
        }
        else if (data.GetValueOrDefault("username") is { Length: > 0 } username)
        {
            var password = data.GetValueOrDefault("password") ?? "";
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
            if (password.Length > 0)
            {
                _secrets.Add(password);
            }

            _secrets.Add(basic);
            _config.Add((ExtraHeaderKey, "Authorization: Basic " + basic));
        }
    }

    /// <summary>Applies a <c>proxySecretRef</c>'s <c>address</c>, <c>username</c> and <c>password</c>.</summary>
    public void UseProxy(IReadOnlyDictionary<string, string> data)
    {
        if (data.GetValueOrDefault("address") is not { Length: > 0 } address || !Uri.TryCreate(address, UriKind.Absolute, out var proxy))
        {
            throw new GitException("invalid proxy configuration: 'address' must be a URL");
        }

        var builder = new UriBuilder(proxy);
        if (data.GetValueOrDefault("username") is { Length: > 0 } user)
        {
            builder.UserName = Uri.EscapeDataString(user);
            builder.Password = Uri.EscapeDataString(data.GetValueOrDefault("password") ?? "");
            if (data.GetValueOrDefault("password") is { Length: > 0 } password)
            {
                _secrets.Add(password);
                _secrets.Add(Uri.EscapeDataString(password));
            }
        }

        _config.Add(("http.proxy", builder.Uri.ToString()));
        Proxy = proxy.GetLeftPart(UriPartial.Authority).Replace(proxy.UserInfo + "@", "", StringComparison.Ordinal);
    }

    // Credentials go to the repository's own origin only, never to another host a submodule URL names.
    private string ExtraHeaderKey => Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        ? $"http.{uri.Scheme}://{uri.Authority}/.extraHeader"
        : "http.extraHeader";

    /// <summary>Adds the configuration to a git process's environment (<c>GIT_CONFIG_COUNT</c>/<c>KEY_n</c>/<c>VALUE_n</c>).</summary>
    public void AddTo(IDictionary<string, string?> environment)
    {
        for (var i = 0; i < _config.Count; i++)
        {
            environment[$"GIT_CONFIG_KEY_{i}"] = _config[i].Key;
            environment[$"GIT_CONFIG_VALUE_{i}"] = _config[i].Value;
        }

        environment["GIT_CONFIG_COUNT"] = _config.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in _environment)
        {
            environment[key] = value;
        }
    }

    /// <summary>Text with every secret value and URL password replaced.</summary>
    public string Redact(string text)
    {
        if (Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':'))
        {
            var user = uri.UserInfo.Split(':', 2)[0];
            text = text.Replace(uri.UserInfo + "@", user + ":xxxxx@", StringComparison.Ordinal);
        }

        foreach (var secret in _secrets.Where(s => s.Length > 0).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }

    public void Dispose() => _files?.Delete(recursive: true);

    private string WriteFile(string name, string content)
    {
        _files ??= Directory.CreateTempSubdirectory("weir-git-auth-");
        var path = Path.Combine(_files.FullName, name);
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(path, content);
        return path;
    }
}
