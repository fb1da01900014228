using System.CommandLine;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;
using Weir.Core.Time;

namespace Weir.Cli.Create;

/// <summary><c>weir create kustomization NAME --source [&lt;kind&gt;/]&lt;name&gt;[.&lt;namespace&gt;] --path ./… --prune</c>, as flux's.</summary>
public sealed class KustomizationCreate : ICreateKind
{
    private static readonly string[] SourceKinds = ["GitRepository", "OCIRepository", "Bucket"];
    private static readonly string[] HealthKinds = ["Deployment", "DaemonSet", "StatefulSet", "HelmRelease"];

    private readonly Option<string?> _source = new("--source") { Description = "source that contains the Kubernetes manifests in the format '[<kind>/]<name>.<namespace>', where kind must be one of: (GitRepository, OCIRepository, Bucket), if kind is not specified it defaults to GitRepository" };
    private readonly Option<string> _path = new("--path") { Description = "path to the directory containing a kustomization.yaml file", DefaultValueFactory = _ => "./" };
    private readonly Option<bool> _prune = new("--prune") { Description = "enable garbage collection" };
    private readonly Option<bool> _wait = new("--wait") { Description = "enable health checking of all the applied resources" };
    private readonly Option<string[]> _healthCheck = new("--health-check") { Description = "workload to be included in the health assessment, in the format '<kind>/<name>.<namespace>'" };
    private readonly Option<string?> _healthTimeout = new("--health-check-timeout") { Description = "timeout of health checking operations", DefaultValueFactory = _ => "2m0s" };
    private readonly Option<string[]> _dependsOn = new("--depends-on") { Description = "Kustomization that must be ready before this Kustomization can be applied, supported formats '<name>' and '<namespace>/<name>', also accepts comma-separated values" };
    private readonly Option<string?> _serviceAccount = new("--service-account") { Description = "the name of the service account to impersonate when reconciling this Kustomization" };
    private readonly Option<string?> _decryptionProvider = new("--decryption-provider") { Description = "decryption provider, available options are: (sops)" };
    private readonly Option<string?> _decryptionSecret = new("--decryption-secret") { Description = "set the Kubernetes secret name that contains the OpenPGP private keys used for sops decryption" };
    private readonly Option<string?> _targetNamespace = new("--target-namespace") { Description = "overrides the namespace of all Kustomization objects reconciled by this Kustomization" };
    private readonly Option<string?> _kubeconfigSecretRef = new("--kubeconfig-secret-ref") { Description = "the name of the Kubernetes Secret that contains a key with the kubeconfig file for connecting to a remote cluster" };
    private readonly Option<string?> _retryInterval = new("--retry-interval") { Description = "the interval at which to retry a previously failed reconciliation" };

    public FluxKind Kind => FluxKind.Kustomization;

    public string Noun => "kustomization";

    public string Description => "Create or update a Kustomization resource";

    public string Title => "Kustomization";

    public IReadOnlyList<Option> Options =>
        [_source, _path, _prune, _wait, _healthCheck, _healthTimeout, _dependsOn, _serviceAccount, _decryptionProvider, _decryptionSecret, _targetNamespace, _kubeconfigSecretRef, _retryInterval];

    public CreatedObjects Build(ParseResult parse, CreateContext context)
    {
        var path = parse.GetValue(_path) ?? "";
        if (path.Length == 0)
        {
            throw new CliUsageException("path is required");
        }

        if (!path.StartsWith("./", StringComparison.Ordinal))
        {
            throw new CliUsageException("path must begin with ./");
        }

        if (path.Split('/').Contains(".."))
        {
            throw new CliUsageException($"invalid argument \"{path}\" for \"--path\" flag: path must not leave the source");
        }

        var sourceText = parse.GetValue(_source) is { Length: > 0 } s ? s : throw new CliUsageException("source is required");
        var (kind, name, ns) = CreateFlags.ObjectRef("source", sourceText, SourceKinds, "GitRepository");
        var sourceRef = new JsonObject { ["kind"] = kind, ["name"] = name };
        if (ns is not null)
        {
            sourceRef["namespace"] = ns;
        }

        var spec = new JsonObject
        {
            ["interval"] = context.IntervalText,
            ["path"] = path,
            ["prune"] = parse.GetValue(_prune),
            ["sourceRef"] = sourceRef,
        };
        if (DependsOnFlag.ToSpec(CreateFlags.List(parse, _dependsOn)) is { } dependsOn)
        {
            spec["dependsOn"] = dependsOn;
        }

        if (parse.GetValue(_targetNamespace) is { Length: > 0 } target)
        {
            spec["targetNamespace"] = target;
        }

        if (parse.GetValue(_kubeconfigSecretRef) is { Length: > 0 } kubeconfig)
        {
            spec["kubeConfig"] = new JsonObject { ["secretRef"] = new JsonObject { ["name"] = kubeconfig } };
        }

        var healthTimeout = FluxDuration.Format(CreateFlags.Duration(parse, _healthTimeout) ?? TimeSpan.FromMinutes(2));
        if (parse.GetValue(_wait))
        {
            spec["wait"] = true;
            spec["timeout"] = healthTimeout;
        }
        else if (CreateFlags.List(parse, _healthCheck) is { Count: > 0 } checks)
        {
            spec["healthChecks"] = new JsonArray([.. checks.Select(HealthCheck)]);
            spec["timeout"] = healthTimeout;
        }

        if (parse.GetValue(_serviceAccount) is { Length: > 0 } serviceAccount)
        {
            spec["serviceAccountName"] = serviceAccount;
        }

        if (parse.GetValue(_decryptionProvider) is { Length: > 0 } provider)
        {
            if (provider != "sops")
            {
                throw new CliUsageException($"invalid argument \"{provider}\" for \"--decryption-provider\" flag: decryption provider '{provider}' is not supported, must be one of: sops");
            }

            var decryption = new JsonObject { ["provider"] = provider };
            if (parse.GetValue(_decryptionSecret) is { Length: > 0 } secret)
            {
                decryption["secretRef"] = new JsonObject { ["name"] = secret };
            }

            spec["decryption"] = decryption;
        }

        if (CreateFlags.Duration(parse, _retryInterval) is { } retry && retry > TimeSpan.Zero)
        {
            spec["retryInterval"] = FluxDuration.Format(retry);
        }

        return new CreatedObjects(context.Object(Kind.Resource, spec));
    }

    public string Completed(JsonObject obj) => $"applied revision {Kind.Revision(obj)}";

    private static JsonNode HealthCheck(string value)
    {
        var parts = value.Split('/');
        if (parts.Length != 2)
        {
            throw new CliUsageException($"invalid health check '{value}' must be in the format 'kind/name.namespace' [{string.Join(' ', parts)}]");
        }

        if (!HealthKinds.Contains(parts[0]))
        {
            throw new CliUsageException($"invalid health check kind '{parts[0]}' can be HelmRelease, Deployment, DaemonSet or StatefulSet");
        }

        var nameNs = parts[1].Split('.');
        if (nameNs.Length != 2)
        {
            throw new CliUsageException($"invalid health check '{value}' must be in the format 'kind/name.namespace'");
        }

        var check = new JsonObject { ["kind"] = parts[0], ["name"] = nameNs[0], ["namespace"] = nameNs[1] };
        if (parts[0] == "HelmRelease")
        {
            check["apiVersion"] = Runtime.Kube.KubeResource.HelmRelease.ApiVersion;
        }

        return check;
    }
}
