using System.CommandLine;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;

namespace Weir.Cli.Create;

/// <summary><c>weir create source bucket NAME --bucket-name … --endpoint …</c>, as flux's.</summary>
public sealed class BucketCreate(SourceFlags source) : ICreateKind
{
    private static readonly string[] Providers = ["generic", "aws", "gcp", "azure"];

    private readonly Option<string> _provider = new("--provider") { Description = "the S3 compatible storage provider name, available options are: (generic, aws, gcp, azure)", DefaultValueFactory = _ => "generic" };
    private readonly Option<string?> _bucketName = new("--bucket-name") { Description = "the bucket name" };
    private readonly Option<string?> _endpoint = new("--endpoint") { Description = "the bucket endpoint address" };
    private readonly Option<string?> _accessKey = new("--access-key") { Description = "the bucket access key" };
    private readonly Option<string?> _secretKey = new("--secret-key") { Description = "the bucket secret key" };
    private readonly Option<string?> _region = new("--region") { Description = "the bucket region" };
    private readonly Option<bool> _insecure = new("--insecure") { Description = "for when connecting to a non-TLS S3 HTTP endpoint" };
    private readonly Option<string?> _secretRef = new("--secret-ref") { Description = "the name of an existing secret containing credentials" };

    public FluxKind Kind => FluxKind.Of(Runtime.Kube.KubeResource.Bucket);

    public string Noun => "bucket";

    public string Description => "Create or update a Bucket source";

    public string Title => "Bucket source";

    public IReadOnlyList<Option> Options =>
        [_provider, _bucketName, _endpoint, _accessKey, _secretKey, _region, _insecure, _secretRef, source.IgnorePaths, source.FetchTimeout];

    public CreatedObjects Build(ParseResult parse, CreateContext context)
    {
        var bucketName = parse.GetValue(_bucketName) is { Length: > 0 } b ? b : throw new CliUsageException("bucket-name is required");
        var endpoint = parse.GetValue(_endpoint) is { Length: > 0 } e ? e : throw new CliUsageException("endpoint is required");
        var provider = parse.GetValue(_provider)!;
        if (!Providers.Contains(provider))
        {
            throw new CliUsageException($"invalid argument \"{provider}\" for \"--provider\" flag: source bucket provider '{provider}' is not supported, must be one of: {string.Join(", ", Providers)}");
        }

        var spec = new JsonObject { ["bucketName"] = bucketName, ["provider"] = provider, ["endpoint"] = endpoint, ["interval"] = context.IntervalText };
        if (parse.GetValue(_insecure))
        {
            spec["insecure"] = true;
        }

        if (parse.GetValue(_region) is { Length: > 0 } region)
        {
            spec["region"] = region;
        }

        source.Apply(parse, spec);
        if (parse.GetValue(_secretRef) is { Length: > 0 } secretRef)
        {
            spec["secretRef"] = new JsonObject { ["name"] = secretRef };
            return new CreatedObjects(context.Object(Kind.Resource, spec));
        }

        if (parse.GetValue(_accessKey) is { Length: > 0 } access && parse.GetValue(_secretKey) is { Length: > 0 } secret)
        {
            var secretName = $"bucket-{context.Name}";
            spec["secretRef"] = new JsonObject { ["name"] = secretName };
            return new CreatedObjects(context.Object(Kind.Resource, spec),
                context.Secret(secretName, new Dictionary<string, string> { ["accesskey"] = access, ["secretkey"] = secret }),
                "applying secret with the bucket credentials");
        }

        return new CreatedObjects(context.Object(Kind.Resource, spec));
    }

    public string Completed(JsonObject obj) => $"fetched revision: {Kind.Revision(obj)}";
}
