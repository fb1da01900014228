using System.CommandLine;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;
using Weir.Core.Time;
using Weir.Helm.Values;
using Weir.Templates.Formatting;
using Weir.Templates.Values;

namespace Weir.Cli.Create;

/// <summary>
/// <c>weir create helmrelease NAME --source &lt;kind&gt;/&lt;name&gt; --chart …</c> or <c>--chart-ref
/// &lt;kind&gt;/&lt;name&gt;</c>, as flux's: values files merged into <c>spec.values</c>, <c>--values-from</c> references.
/// </summary>
public sealed class HelmReleaseCreate : ICreateKind
{
    private static readonly string[] SourceKinds = ["HelmRepository", "GitRepository", "Bucket"];
    private static readonly string[] ChartRefKinds = ["OCIRepository", "HelmChart"];
    private static readonly string[] ValuesKinds = ["Secret", "ConfigMap"];
    private static readonly string[] CrdPolicies = ["Skip", "Create", "CreateReplace"];

    private readonly Option<string?> _releaseName = new("--release-name") { Description = "name used for the Helm release, defaults to a composition of '[<target-namespace>-]<HelmRelease-name>'" };
    private readonly Option<string?> _source = new("--source") { Description = "source that contains the chart in the format '<kind>/<name>.<namespace>', where kind must be one of: (HelmRepository, GitRepository, Bucket)" };
    private readonly Option<string?> _chart = new("--chart") { Description = "Helm chart name or path" };
    private readonly Option<string?> _chartVersion = new("--chart-version") { Description = "Helm chart version, accepts a semver range (ignored for charts from GitRepository sources)" };
    private readonly Option<string?> _chartRef = new("--chart-ref") { Description = "Helm chart reference in the format '<kind>/<name>.<namespace>', where kind must be one of: (OCIRepository, HelmChart)" };
    private readonly Option<string[]> _dependsOn = new("--depends-on") { Description = "HelmReleases that must be ready before this release can be installed, supported formats '<name>' and '<namespace>/<name>'" };
    private readonly Option<string?> _targetNamespace = new("--target-namespace") { Description = "namespace to install this release, defaults to the HelmRelease namespace" };
    private readonly Option<bool> _createNamespace = new("--create-target-namespace") { Description = "create the target namespace if it does not exist" };
    private readonly Option<string?> _serviceAccount = new("--service-account") { Description = "the name of the service account to impersonate when reconciling this HelmRelease" };
    private readonly Option<string> _reconcileStrategy = new("--reconcile-strategy") { Description = "the reconcile strategy for helm chart created by the helm release (accepted values: Revision and ChartVersion)", DefaultValueFactory = _ => "ChartVersion" };
    private readonly Option<string?> _chartInterval = new("--chart-interval") { Description = "the interval of which to check for new chart versions" };
    private readonly Option<string[]> _values = new("--values") { Description = "local path to values.yaml files, also accepts comma-separated values" };
    private readonly Option<string[]> _valuesFrom = new("--values-from") { Description = "a Kubernetes object reference that contains the values.yaml data key in the format '<kind>/<name>', where kind must be one of: (Secret,ConfigMap)" };
    private readonly Option<string?> _crds = new("--crds") { Description = "upgrade CRDs policy, available options are: (Skip, Create, CreateReplace)" };
    private readonly Option<string?> _kubeconfigSecretRef = new("--kubeconfig-secret-ref") { Description = "the name of the Kubernetes Secret that contains a key with the kubeconfig file for connecting to a remote cluster" };

    public FluxKind Kind => FluxKind.HelmRelease;

    public string Noun => "helmrelease";

    public string Description => "Create or update a HelmRelease resource";

    public string Title => "HelmRelease";

    public IReadOnlyList<Option> Options =>
        [_releaseName, _source, _chart, _chartVersion, _chartRef, _dependsOn, _targetNamespace, _createNamespace, _serviceAccount,
         _reconcileStrategy, _chartInterval, _values, _valuesFrom, _crds, _kubeconfigSecretRef];

    public CreatedObjects Build(ParseResult parse, CreateContext context)
    {
        var spec = new JsonObject { ["interval"] = context.IntervalText };
        var chart = parse.GetValue(_chart);
        if (parse.GetValue(_chartRef) is { Length: > 0 } chartRef)
        {
            if (chart is { Length: > 0 } || parse.GetValue(_source) is { Length: > 0 })
            {
                throw new CliUsageException("cannot use --chart or --source in combination with --chart-ref");
            }

            spec["chartRef"] = Reference("chart-ref", chartRef, ChartRefKinds);
        }
        else
        {
            if (chart is not { Length: > 0 })
            {
                throw new CliUsageException("chart name or path is required");
            }

            var strategy = parse.GetValue(_reconcileStrategy)!;
            if (strategy is not ("Revision" or "ChartVersion"))
            {
                throw new CliUsageException($"'{strategy}' is an invalid reconcile strategy(valid: Revision, ChartVersion)");
            }

            var source = parse.GetValue(_source) is { Length: > 0 } s ? s : throw new CliUsageException("source is required");
            var chartSpec = new JsonObject
            {
                ["chart"] = chart,
                ["reconcileStrategy"] = strategy,
                ["sourceRef"] = Reference("source", source, SourceKinds),
            };
            if (parse.GetValue(_chartVersion) is { Length: > 0 } version)
            {
                chartSpec["version"] = version;
            }

            if (CreateFlags.Duration(parse, _chartInterval) is { } chartInterval && chartInterval > TimeSpan.Zero)
            {
                chartSpec["interval"] = FluxDuration.Format(chartInterval);
            }

            spec["chart"] = new JsonObject { ["spec"] = chartSpec };
        }

        if (parse.GetValue(_releaseName) is { Length: > 0 } releaseName)
        {
            spec["releaseName"] = releaseName;
        }

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

        if (parse.GetValue(_createNamespace))
        {
            spec["install"] = new JsonObject { ["createNamespace"] = true };
        }

        if (parse.GetValue(_serviceAccount) is { Length: > 0 } serviceAccount)
        {
            spec["serviceAccountName"] = serviceAccount;
        }

        if (parse.GetValue(_crds) is { Length: > 0 } crds)
        {
            if (!CrdPolicies.Contains(crds))
            {
                throw new CliUsageException($"invalid argument \"{crds}\" for \"--crds\" flag: CRDs policy '{crds}' is not supported, must be one of: {string.Join(", ", CrdPolicies)}");
            }

            var install = spec["install"] as JsonObject ?? [];
            install["crds"] = "Create";
            spec["install"] = install;
            spec["upgrade"] = new JsonObject { ["crds"] = crds };
        }

        if (CreateFlags.List(parse, _values) is { Count: > 0 } files)
        {
            spec["values"] = MergedValues(files);
        }

        if (CreateFlags.List(parse, _valuesFrom) is { Count: > 0 } valuesFrom)
        {
            spec["valuesFrom"] = new JsonArray([.. valuesFrom.Select(ValuesReference)]);
        }

        return new CreatedObjects(context.Object(Kind.Resource, spec));
    }

    public string Completed(JsonObject obj) => $"applied revision {Kind.Revision(obj)}";

    private static JsonObject Reference(string flag, string value, IReadOnlyList<string> kinds)
    {
        if (!value.Contains('/'))
        {
            throw new CliUsageException($"invalid argument \"{value}\" for \"--{flag}\" flag: must be in format <kind>/<name>");
        }

        var (kind, name, ns) = CreateFlags.ObjectRef(flag, value, kinds, null);
        var reference = new JsonObject { ["kind"] = kind, ["name"] = name };
        if (ns is not null)
        {
            reference["namespace"] = ns;
        }

        return reference;
    }

    private static JsonNode ValuesReference(string value)
    {
        var slash = value.IndexOf('/');
        if (slash <= 0)
        {
            throw new CliUsageException($"invalid Kubernetes object reference '{value}', must be in format <kind>/<name>");
        }

        var kind = ValuesKinds.FirstOrDefault(k => string.Equals(k, value[..slash], StringComparison.OrdinalIgnoreCase))
            ?? throw new CliUsageException($"reference kind '{value[..slash]}' is not supported, must be one of: {string.Join(", ", ValuesKinds)}");
        return new JsonObject { ["kind"] = kind, ["name"] = value[(slash + 1)..] };
    }

    // Later files win, maps merged key by key, as flux's transform.MergeMaps (Helm's MergeMaps).
    private static JsonNode MergedValues(IReadOnlyList<string> files)
    {
        var merged = new GoMap();
        foreach (var file in files)
        {
            try
            {
                merged = ValuesReader.Merge(merged, ValuesReader.Read(GitRepositoryCreate.ReadFile(file, $"reading values from {file} failed")));
            }
            catch (ValuesException e)
            {
                throw new CliException($"converting values to JSON from {file} failed: {e.Message}");
            }
        }

        return JsonNode.Parse(GoJson.Marshal(Value.Map(merged)))!;
    }
}
