using System.CommandLine;

namespace Weir.Cli.Create.Secrets;

/// <summary>flux's <c>--ca-file</c>, <c>--cert-file</c> and <c>--key-file</c>: PEM files read into <c>ca.crt</c>, <c>tls.crt</c> and <c>tls.key</c>.</summary>
public sealed class TlsFileFlags
{
    private readonly Option<string?> _caFile = new("--ca-file") { Description = "TLS authentication CA file path" };
    private readonly Option<string?> _certFile = new("--cert-file") { Description = "TLS authentication cert file path" };
    private readonly Option<string?> _keyFile = new("--key-file") { Description = "TLS authentication key file path" };

    public IReadOnlyList<Option> Options => [_caFile, _certFile, _keyFile];

    public void AddTo(ParseResult parse, Dictionary<string, string> data)
    {
        if (parse.GetValue(_caFile) is { Length: > 0 } ca)
        {
            data["ca.crt"] = GitRepositoryCreate.ReadFile(ca, "failed to read CA file");
        }

        var cert = parse.GetValue(_certFile);
        var key = parse.GetValue(_keyFile);
        if (cert is { Length: > 0 } != key is { Length: > 0 })
        {
            throw new CliUsageException("--cert-file and --key-file must be given together");
        }

        if (cert is { Length: > 0 } && key is { Length: > 0 })
        {
            data["tls.crt"] = GitRepositoryCreate.ReadFile(cert, "failed to read cert file");
            data["tls.key"] = GitRepositoryCreate.ReadFile(key, "failed to read key file");
        }
    }
}
