using System.CommandLine;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;

namespace Weir.Cli.Create;

/// <summary><c>weir create source helm NAME --url …</c> (an <c>oci://</c> URL makes a <c>type: oci</c> repository), as flux's.</summary>
public sealed class HelmRepositoryCreate(SourceFlags source) : ICreateKind
{
    private static readonly string[] Providers = ["generic", "aws", "azure", "gcp"];

    private readonly Option<string?> _url = new("--url") { Description = "Helm repository address" };
    private readonly Option<string?> _username = new("--username", "-u") { Description = "basic authentication username" };
    private readonly Option<string?> _password = new("--password", "-p") { Description = "basic authentication password" };
    private readonly Option<string?> _secretRef = new("--secret-ref") { Description = "the name of an existing secret containing TLS or basic auth credentials" };
    private readonly Option<bool> _passCredentials = new("--pass-credentials") { Description = "pass credentials to all domains" };
    private readonly Option<string> _ociProvider = new("--oci-provider") { Description = "the provider for OCI authentication, available options are: (generic, aws, azure, gcp)", DefaultValueFactory = _ => "generic" };

    public FluxKind Kind => FluxKind.Of(Runtime.Kube.KubeResource.HelmRepository);

    public string Noun => "helm";

    public string Description => "Create or update a HelmRepository source";

    public string Title => "HelmRepository source";

    public IReadOnlyList<Option> Options => [_url, _username, _password, _secretRef, _passCredentials, _ociProvider, source.FetchTimeout];

    public CreatedObjects Build(ParseResult parse, CreateContext context)
    {
        var url = parse.GetValue(_url) is { Length: > 0 } u ? u : throw new CliUsageException("url is required");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed))
        {
            throw new CliUsageException($"url parse failed: invalid URL '{url}'");
        }

        var spec = new JsonObject { ["url"] = url, ["interval"] = context.IntervalText };
        if (parsed.Scheme == "oci")
        {
            var provider = parse.GetValue(_ociProvider)!;
            if (!Providers.Contains(provider))
            {
                throw new CliUsageException($"invalid argument \"{provider}\" for \"--oci-provider\" flag: source OCI provider '{provider}' is not supported, must be one of: {string.Join(", ", Providers)}");
            }

            spec["type"] = "oci";
            spec["provider"] = provider;
        }

        if (parse.GetValue(_passCredentials))
        {
            spec["passCredentials"] = true;
        }

        source.Apply(parse, spec, ignore: false);
        if (parse.GetValue(_secretRef) is { Length: > 0 } secretRef)
        {
            spec["secretRef"] = new JsonObject { ["name"] = secretRef };
            return new CreatedObjects(context.Object(Kind.Resource, spec));
        }

        if (parse.GetValue(_username) is { Length: > 0 } user && parse.GetValue(_password) is { Length: > 0 } password)
        {
            var secretName = $"helm-{context.Name}";
            spec["secretRef"] = new JsonObject { ["name"] = secretName };
            return new CreatedObjects(context.Object(Kind.Resource, spec),
                context.Secret(secretName, new Dictionary<string, string> { ["username"] = user, ["password"] = password }),
                "applying secret with repository credentials");
        }

        return new CreatedObjects(context.Object(Kind.Resource, spec));
    }

    public string Completed(JsonObject obj) => $"fetched revision: {Kind.Revision(obj)}";
}
