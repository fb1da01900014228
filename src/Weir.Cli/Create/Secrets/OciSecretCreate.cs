using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Oci.Distribution;

namespace Weir.Cli.Create.Secrets;

/// <summary><c>weir create secret oci NAME --url --username --password</c>: a <c>kubernetes.io/dockerconfigjson</c> pull secret, as flux's.</summary>
public sealed class OciSecretCreate : ISecretKind
{
    private readonly Option<string?> _url = new("--url") { Description = "oci repository address e.g ghcr.io/stefanprodan/charts" };
    private readonly Option<string?> _username = new("--username", "-u") { Description = "basic authentication username" };
    private readonly Option<string?> _password = new("--password", "-p") { Description = "basic authentication password" };

    public string Noun => "oci";

    public string Description => "Create or update a Kubernetes image pull secret";

    public IReadOnlyList<Option> Options => [_url, _username, _password];

    public Task<JsonObject> BuildAsync(ParseResult parse, CreateContext context, CancellationToken cancellationToken)
    {
        var registry = parse.GetValue(_url) is { Length: > 0 } url ? url : throw new CliUsageException("--url is required");
        var user = parse.GetValue(_username) is { Length: > 0 } u ? u : throw new CliUsageException("--username is required");
        var password = parse.GetValue(_password) is { Length: > 0 } p ? p : throw new CliUsageException("--password is required");
        if (registry.Contains("://", StringComparison.Ordinal) || registry.Any(char.IsWhiteSpace))
        {
            throw new CliUsageException($"error parsing url: 'could not parse reference: {registry}'");
        }

        // flux keys the entry by --url as given, and writes the JSON as Go's encoding/json does.
        var config = new JsonObject
        {
            ["auths"] = new JsonObject
            {
                [registry] = new JsonObject
                {
                    ["username"] = user,
                    ["password"] = password,
                    ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")),
                },
            },
        };
        var secret = context.Secret(context.Name, new Dictionary<string, string> { [".dockerconfigjson"] = Encoding.UTF8.GetString(GoJson.Serialize(config)) });
        secret["type"] = "kubernetes.io/dockerconfigjson";
        return Task.FromResult(secret);
    }
}
