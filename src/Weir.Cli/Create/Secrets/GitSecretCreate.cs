using System.CommandLine;
using System.Text.Json.Nodes;

namespace Weir.Cli.Create.Secrets;

/// <summary>
/// <c>weir create secret git NAME --url …</c>, as flux's: for <c>ssh://</c> an <c>identity</c> (generated with
/// <c>--ssh-key-algorithm</c>, or read from <c>--private-key-file</c>), its <c>identity.pub</c> and the server's
/// <c>known_hosts</c>; for http(s) <c>username</c>/<c>password</c> or <c>bearerToken</c>, and the CA as
/// <c>ca.crt</c> (also for the older <c>--ca-file</c>, the key source-controller reads).
/// </summary>
public sealed class GitSecretCreate : ISecretKind
{
    private static readonly string[] Algorithms = ["rsa", "ecdsa", "ed25519"];
    private static readonly Dictionary<string, int> Curves = new() { ["p256"] = 256, ["p384"] = 384, ["p521"] = 521 };

    private readonly Option<string?> _url = new("--url") { Description = "git address, e.g. ssh://git@host/org/repository" };
    private readonly Option<string?> _username = new("--username", "-u") { Description = "basic authentication username" };
    private readonly Option<string?> _password = new("--password", "-p") { Description = "basic authentication password" };
    private readonly Option<string> _algorithm = new("--ssh-key-algorithm") { Description = "SSH public key algorithm (rsa, ecdsa, ed25519)", DefaultValueFactory = _ => "ecdsa" };
    private readonly Option<int> _rsaBits = new("--ssh-rsa-bits") { Description = "SSH RSA public key bit size (multiplies of 8, min 1024)", DefaultValueFactory = _ => 2048 };
    private readonly Option<string> _curve = new("--ssh-ecdsa-curve") { Description = "SSH ECDSA public key curve (p256, p384, p521)", DefaultValueFactory = _ => "p384" };
    private readonly Option<string?> _caFile = new("--ca-file") { Description = "path to TLS CA file used for validating self-signed certificates" };
    private readonly Option<string?> _caCrtFile = new("--ca-crt-file") { Description = "path to TLS CA certificate file used for validating self-signed certificates; takes precedence over --ca-file" };
    private readonly Option<string?> _privateKeyFile = new("--private-key-file") { Description = "path to a passwordless private key file used for authenticating to the Git SSH server" };
    private readonly Option<string?> _bearerToken = new("--bearer-token") { Description = "bearer authentication token" };

    public string Noun => "git";

    public string Description => "Create or update a Kubernetes secret for Git authentication";

    public IReadOnlyList<Option> Options => [_url, _username, _password, _algorithm, _rsaBits, _curve, _caFile, _caCrtFile, _privateKeyFile, _bearerToken];

    public async Task<JsonObject> BuildAsync(ParseResult parse, CreateContext context, CancellationToken cancellationToken)
    {
        var url = parse.GetValue(_url) is { Length: > 0 } given ? given : throw new CliUsageException("url is required");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed))
        {
            throw new CliUsageException($"git URL parse failed: invalid URL '{url}'");
        }

        var user = parse.GetValue(_username) ?? "";
        var password = parse.GetValue(_password) ?? "";
        var data = new Dictionary<string, string>();
        switch (parsed.Scheme)
        {
            case "ssh":
                var (identity, publicKey) = parse.GetValue(_privateKeyFile) is { Length: > 0 } keyFile
                    ? await SshKeys.LoadAsync(keyFile, password, cancellationToken)
                    : await SshKeys.GenerateAsync(Algorithm(parse), RsaBits(parse), Curve(parse), cancellationToken);
                data["identity"] = identity;
                data["identity.pub"] = publicKey;
                data["known_hosts"] = await SshKeys.ScanAsync(parsed.Host, parsed.Port > 0 ? parsed.Port : 22, cancellationToken);
                if (password.Length > 0)
                {
                    data["password"] = password;
                }

                break;
            case "http" or "https":
                var token = parse.GetValue(_bearerToken) ?? "";
                if ((user.Length == 0 || password.Length == 0) && token.Length == 0)
                {
                    throw new CliUsageException("for Git over HTTP/S the username and password, or a bearer token is required");
                }

                if (user.Length > 0 && password.Length > 0 && token.Length > 0)
                {
                    throw new CliUsageException("user credentials and bearer token cannot be used together");
                }

                if (user.Length > 0 && password.Length > 0)
                {
                    data["username"] = user;
                    data["password"] = password;
                }

                if (token.Length > 0)
                {
                    data["bearerToken"] = token;
                }

                if ((parse.GetValue(_caCrtFile) is { Length: > 0 } ca ? ca : parse.GetValue(_caFile)) is { Length: > 0 } caPath)
                {
                    data["ca.crt"] = GitRepositoryCreate.ReadFile(caPath, "unable to read TLS CA file");
                }

                break;
            default:
                throw new CliUsageException($"git URL scheme '{parsed.Scheme}' not supported, can be: ssh, http and https");
        }

        return context.Secret(context.Name, data);
    }

    private string Algorithm(ParseResult parse) => parse.GetValue(_algorithm) is { } a && Algorithms.Contains(a)
        ? a : throw new CliUsageException($"unsupported public key algorithm '{parse.GetValue(_algorithm)}', must be one of: {string.Join(", ", Algorithms)}");

    private int RsaBits(ParseResult parse) => parse.GetValue(_rsaBits) is var bits && bits >= 1024 && bits % 8 == 0
        ? bits : throw new CliUsageException($"RSA key bit size must be a multiple of 8 and at least 1024, got {bits}");

    private int Curve(ParseResult parse) => Curves.TryGetValue(parse.GetValue(_curve) ?? "", out var bits)
        ? bits : throw new CliUsageException($"unsupported curve '{parse.GetValue(_curve)}', must be one of: {string.Join(", ", Curves.Keys)}");
}
