using System.CommandLine;
using System.Text.Json.Nodes;

namespace Weir.Cli.Create.Secrets;

/// <summary>
/// <c>weir create secret helm NAME</c>: basic auth and TLS files for a HelmRepository, with flux's flags. The TLS
/// files go under the keys source-controller reads today (<c>ca.crt</c>, <c>tls.crt</c>, <c>tls.key</c>), not the
/// deprecated <c>caFile</c>/<c>certFile</c>/<c>keyFile</c> flux still writes for these flags.
/// </summary>
public sealed class HelmSecretCreate : ISecretKind
{
    private readonly Option<string?> _username = new("--username", "-u") { Description = "basic authentication username" };
    private readonly Option<string?> _password = new("--password", "-p") { Description = "basic authentication password" };
    private readonly TlsFileFlags _tls = new();

    public string Noun => "helm";

    public string Description => "Create or update a Kubernetes secret for Helm repository authentication";

    public IReadOnlyList<Option> Options => [_username, _password, .. _tls.Options];

    public Task<JsonObject> BuildAsync(ParseResult parse, CreateContext context, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, string>();
        if (parse.GetValue(_username) is { Length: > 0 } user && parse.GetValue(_password) is { Length: > 0 } password)
        {
            data["username"] = user;
            data["password"] = password;
        }

        _tls.AddTo(parse, data);
        return Task.FromResult(context.Secret(context.Name, data));
    }
}
