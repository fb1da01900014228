using System.Text;
using System.Text.Json.Nodes;
using Weir.Controllers.Tests.Kustomizations;
using Weir.Core.Objects;
using Weir.Helm.Charts;
using Weir.Oci.Distribution;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Controllers.Tests.HelmReleases;

/// <summary>
/// The delivery chain of the seeds' third resource: the controllers and the embedded registry (as
/// <see cref="KustomizeControllerHarness"/>), charts packaged by Weir.Helm and pushed as Helm pushes them to OCI,
/// OCIRepositories selecting the chart layer, HelmReleases, and real kubectl to read them back.
/// </summary>
public sealed class HelmReleaseHarness : KustomizeControllerHarness
{
    public const string ChartLayer = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    private const string ChartConfig = "application/vnd.cncf.helm.config.v1+json";
    private readonly string _kubectlHome = TestEnv.TempDir("weir-kubectl-");

    public Kubectl Kubectl => new(Weir.Testing.Kubectl.Path(), Kubeconfig, _kubectlHome);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_kubectlHome, recursive: true);
    }

    /// <summary>Packages the chart files (path → text, under the chart's directory) and pushes it as <c>repository:version</c>.</summary>
    public async Task PushChartAsync(string repository, IReadOnlyDictionary<string, string> files)
    {
        var chart = new ChartLoader().LoadFiles([.. files.Select(f => new ChartFile(f.Key, Encoding.UTF8.GetBytes(f.Value)))]);
        using var archive = new MemoryStream();
        ChartPackager.Write(chart, archive);
        var layer = archive.ToArray();
        var config = Encoding.UTF8.GetBytes(chart.Metadata.ToJson().ToJsonString());
        using var registry = new RegistryClient(RegistryHost, new RegistryClientOptions { Insecure = true });
        await registry.PushBlobAsync(repository, BlobSource.FromBytes(config));
        await registry.PushBlobAsync(repository, BlobSource.FromBytes(layer));
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = new JsonObject { ["mediaType"] = ChartConfig, ["digest"] = OciDigest.Of(config), ["size"] = config.Length },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = ChartLayer, ["digest"] = OciDigest.Of(layer), ["size"] = layer.Length }),
        };
        await registry.PutManifestAsync(repository, chart.Metadata.Version, Encoding.UTF8.GetBytes(manifest.ToJsonString()), MediaTypes.OciManifest);
    }

    /// <summary>Any chart version: an OCIRepository reference that follows the newest.</summary>
    public static JsonObject AnyVersion => new() { ["semver"] = ">=0.0.0" };

    /// <summary>
    /// Namespace <paramref name="ns"/>, the test chart <paramref name="chart"/> 1.0.0 pushed to <c>charts/CHART</c>, and
    /// the OCIRepository <paramref name="chart"/> in <paramref name="ns"/> following it.
    /// </summary>
    public async Task PrepareChartAsync(string ns, string chart)
    {
        await CreateNamespaceAsync(ns);
        await PushChartAsync($"charts/{chart}", TestCharts.App(chart, "1.0.0"));
        await CreateChartRepositoryAsync(ns, chart, $"charts/{chart}", AnyVersion);
    }

    /// <summary>The greeting in the ConfigMap of a release of the test chart (its <c>greeting</c> value).</summary>
    public Task<string> GreetingAsync(string ns, string release) =>
        Kubectl.OkAsync("get", "configmap", $"{release}-config", "-n", ns, "-o", "jsonpath={.data.greeting}");

    /// <summary>The names of a release's Secrets in Helm's storage, read with kubectl.</summary>
    public async Task<List<string>> ReleaseSecretsAsync(string ns, string release) =>
        [.. (await Kubectl.OkAsync("get", "secrets", "-n", ns, "-l", $"owner=helm,name={release}", "-o", "jsonpath={.items[*].metadata.name}"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    /// <summary>An OCIRepository in <paramref name="ns"/> whose artifact is the chart archive of <paramref name="repository"/>.</summary>
    public Task<JsonObject> CreateChartRepositoryAsync(string ns, string name, string repository, JsonObject reference) =>
        Client.CreateAsync(KubeResource.OCIRepository, new JsonObject
        {
            ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
            ["kind"] = "OCIRepository",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["url"] = $"oci://{RegistryHost}/{repository}",
                ["interval"] = "10m",
                ["insecure"] = true,
                ["ref"] = reference.DeepClone(),
                ["layerSelector"] = new JsonObject { ["mediaType"] = ChartLayer, ["operation"] = "copy" },
            },
        });

    /// <summary>A HelmRelease in <paramref name="ns"/> of the chart of OCIRepository <paramref name="source"/>; <paramref name="extra"/> adds spec fields.</summary>
    public Task<JsonObject> CreateHelmReleaseAsync(string ns, string name, string source, JsonObject? extra = null)
    {
        var spec = new JsonObject
        {
            ["interval"] = "10m",
            ["chartRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = source },
            ["timeout"] = "20s",
        };
        foreach (var (k, v) in extra ?? [])
        {
            spec[k] = v?.DeepClone();
        }

        return Client.CreateAsync(KubeResource.HelmRelease, new JsonObject
        {
            ["apiVersion"] = "helm.toolkit.fluxcd.io/v2",
            ["kind"] = "HelmRelease",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        });
    }

    public Task<JsonObject> PatchHelmReleaseAsync(string ns, string name, JsonObject spec) =>
        Client.PatchAsync(KubeResource.HelmRelease, new ObjectKey(ns, name), new JsonObject { ["spec"] = spec }, "merge");

    /// <summary>Waits until the HelmRelease satisfies <paramref name="done"/>; returns it then.</summary>
    public Task<JsonObject> WaitForHelmReleaseAsync(string ns, string name, Func<JsonObject, bool> done, string what, TimeSpan? timeout = null) =>
        StatusConditions.WaitForAsync(() => Client.GetAsync(KubeResource.HelmRelease, new ObjectKey(ns, name)), done,
            $"HelmRelease {ns}/{name}: {what}", timeout ?? TimeSpan.FromSeconds(60), () => "errors: " + string.Join("\n", Errors));

    /// <summary>Asks for an immediate reconcile of any object, as <c>flux reconcile</c> does.</summary>
    public Task RequestAsync(KubeResource resource, string ns, string name) =>
        Client.PatchAsync(resource, new ObjectKey(ns, name), new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { [Predicates.RequestedAtAnnotation] = DateTimeOffset.UtcNow.ToString("O") },
            },
        }, "merge");

    /// <summary>Requests a reconcile of a HelmRelease and waits until that very request was handled; returns the HelmRelease then.</summary>
    public async Task<JsonObject> ReconcileAndWaitAsync(string ns, string name)
    {
        var token = $"{DateTimeOffset.UtcNow:O}-{Guid.NewGuid():N}";
        await Client.PatchAsync(KubeResource.HelmRelease, new ObjectKey(ns, name), new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [Predicates.RequestedAtAnnotation] = token } },
        }, "merge");
        return await WaitForHelmReleaseAsync(ns, name, r => r["status"]?["lastHandledReconcileAt"]?.GetValue<string>() == token
            && StatusConditions.Condition(r, "Reconciling") is null, $"reconcile request {token} handled");
    }

    /// <summary>Events about a HelmRelease, oldest first.</summary>
    public async Task<IReadOnlyList<JsonObject>> EventsAsync(string ns, string name)
    {
        var (items, _) = await Client.ListAsync(KubeResource.Event, ns);
        return [.. items.Where(e => e["involvedObject"]?["name"]?.GetValue<string>() == name
                && e["involvedObject"]?["kind"]?.GetValue<string>() == "HelmRelease")
            .OrderBy(e => e["firstTimestamp"]?.GetValue<string>())];
    }
}

/// <summary>The small chart the HelmRelease tests release: a Deployment of <c>nginx:TAG</c> and a ConfigMap of the values.</summary>
public static class TestCharts
{
    public static Dictionary<string, string> App(string name, string version, params (string Path, string Text)[] extra)
    {
        var files = new Dictionary<string, string>
        {
            ["Chart.yaml"] = $"apiVersion: v2\nname: {name}\nversion: {version}\nappVersion: '{version}'\n",
            ["values.yaml"] = "tag: '1.25'\ngreeting: hello\nreplicaCount: 1\n",
            ["templates/deployment.yaml"] = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {{ .Release.Name }}
                spec:
                  replicas: {{ .Values.replicaCount }}
                  selector:
                    matchLabels: {app: {{ .Release.Name }}}
                  template:
                    metadata:
                      labels: {app: {{ .Release.Name }}}
                    spec:
                      containers:
                      - name: main
                        image: nginx:{{ .Values.tag }}
                """,
            ["templates/configmap.yaml"] = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-config
                data:
                  greeting: {{ .Values.greeting | quote }}
                """,
        };
        foreach (var (path, text) in extra)
        {
            files[path] = text;
        }

        return files;
    }

    /// <summary>A test hook Pod whose container exits 0, or 1 when <paramref name="fails"/> (the simulator's <c>-fail</c> tag).</summary>
    public static (string, string) TestHook(string name, bool fails) => ($"templates/tests/{name}.yaml", $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{name}}
          annotations:
            helm.sh/hook: test
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox:{{(fails ? "1.36-fail" : "1.36")}}
        """);
}
