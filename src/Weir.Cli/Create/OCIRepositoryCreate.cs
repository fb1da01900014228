using System.CommandLine;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;

namespace Weir.Cli.Create;

/// <summary><c>weir create source oci NAME --url oci://… --tag|--tag-semver|--digest</c>, as flux's.</summary>
public sealed class OCIRepositoryCreate(SourceFlags source) : ICreateKind
{
    private static readonly string[] Providers = ["generic", "aws", "azure", "gcp"];

    private readonly Option<string?> _url = new("--url") { Description = "the OCI repository URL" };
    private readonly Option<string?> _tag = new("--tag") { Description = "the OCI artifact tag" };
    private readonly Option<string?> _semver = new("--tag-semver") { Description = "the OCI artifact tag semver range" };
    private readonly Option<string?> _digest = new("--digest") { Description = "the OCI artifact digest" };
    private readonly Option<string?> _secretRef = new("--secret-ref") { Description = "the name of the Kubernetes image pull secret (type 'kubernetes.io/dockerconfigjson')" };
    private readonly Option<string?> _certRef = new("--cert-ref") { Description = "the name of a secret to use for TLS certificates" };
    private readonly Option<string?> _serviceAccount = new("--service-account") { Description = "the name of the Kubernetes service account that refers to an image pull secret" };
    private readonly Option<string> _provider = new("--provider") { Description = "the OCI provider name, available options are: (generic, aws, azure, gcp)", DefaultValueFactory = _ => "generic" };
    private readonly Option<bool> _insecure = new("--insecure") { Description = "for when connecting to a non-TLS registries over plain HTTP" };

    public FluxKind Kind => FluxKind.OCIRepository;

    public string Noun => "oci";

    public string Description => "Create or update an OCIRepository";

    public string Title => "OCIRepository source";

    public IReadOnlyList<Option> Options =>
        [_url, _tag, _semver, _digest, _secretRef, _certRef, _serviceAccount, _provider, _insecure, source.IgnorePaths, source.FetchTimeout];

    public CreatedObjects Build(ParseResult parse, CreateContext context)
    {
        var url = parse.GetValue(_url) is { Length: > 0 } u ? u : throw new CliUsageException("url is required");
        if (!url.StartsWith("oci://", StringComparison.Ordinal))
        {
            throw new CliUsageException("url must start with oci://");
        }

        var reference = new JsonObject();
        if (parse.GetValue(_digest) is { Length: > 0 } digest)
        {
            reference["digest"] = digest;
        }
        else if (parse.GetValue(_semver) is { Length: > 0 } semver)
        {
            reference["semver"] = semver;
        }
        else if (parse.GetValue(_tag) is { Length: > 0 } tag)
        {
            reference["tag"] = tag;
        }
        else
        {
            throw new CliUsageException("one of --tag, --tag-semver or --digest is required");
        }

        var provider = parse.GetValue(_provider)!;
        if (!Providers.Contains(provider))
        {
            throw new CliUsageException($"invalid argument \"{provider}\" for \"--provider\" flag: source OCI provider '{provider}' is not supported, must be one of: {string.Join(", ", Providers)}");
        }

        var spec = new JsonObject { ["url"] = url, ["ref"] = reference, ["provider"] = provider, ["interval"] = context.IntervalText };
        if (parse.GetValue(_insecure))
        {
            spec["insecure"] = true;
        }

        if (parse.GetValue(_secretRef) is { Length: > 0 } secretRef)
        {
            spec["secretRef"] = new JsonObject { ["name"] = secretRef };
        }

        if (parse.GetValue(_certRef) is { Length: > 0 } certRef)
        {
            spec["certSecretRef"] = new JsonObject { ["name"] = certRef };
        }

        if (parse.GetValue(_serviceAccount) is { Length: > 0 } serviceAccount)
        {
            spec["serviceAccountName"] = serviceAccount;
        }

        source.Apply(parse, spec);
        return new CreatedObjects(context.Object(Kind.Resource, spec));
    }

    public string Completed(JsonObject obj) => $"fetched revision: {Kind.Revision(obj)}";
}
