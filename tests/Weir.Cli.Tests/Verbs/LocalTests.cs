using System.Text.Json.Nodes;
using Weir.Core.Api.Crds;
using Weir.Core.Objects;
using Weir.Core.Yaml;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary>logs, build, diff and install: the verbs that read files or compare local manifests with the cluster.</summary>
public sealed class LocalTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>, IDisposable
{
    private readonly FluxObjects _flux = new(cluster);
    private readonly string _dir = TestEnv.TempDir("weir-cli-local-");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task LogsRenderTheControllersJsonLogWithFluxsTemplateAndFilters()
    {
        var file = Path.Combine(_dir, "controllers.log");
        await using (var writer = new StreamWriter(file))
        {
            var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 1, 2, 3, TimeSpan.Zero));
            var log = new JsonLog(writer, "source-controller", clock);
            log.Info("starting controllers");
            log.Info("stored artifact for digest 'v1@sha256:aa'", "OCIRepository", new ObjectKey("flux-system", "my-app"));
            log.Error("Reconciler error", new InvalidOperationException("401 Unauthorized"), "OCIRepository", new ObjectKey("flux-system", "other"));
            log.Info("stored artifact", "OCIRepository", new ObjectKey("team-a", "my-app"));
            await writer.WriteLineAsync("not json");
        }

        var all = await WeirRun.RunAsync(_flux.Kubeconfig, "logs", "--log-file", file);
        Assert.Equal(0, all.Code);
        Assert.Equal(
            "2026-11-23T01:02:03.000Z info ocirepository/my-app.flux-system - stored artifact for digest 'v1@sha256:aa' \n" +
            "2026-11-23T01:02:03.000Z error ocirepository/other.flux-system - Reconciler error 401 Unauthorized\n",
            all.Out);

        var errors = await WeirRun.RunAsync(_flux.Kubeconfig, "logs", "--log-file", file, "--level", "error");
        Assert.Equal(["2026-11-23T01:02:03.000Z error ocirepository/other.flux-system - Reconciler error 401 Unauthorized"], Lines(errors.Out));

        var named = await WeirRun.RunAsync(_flux.Kubeconfig, "logs", "--log-file", file, "-A", "--kind", "OCIRepository", "--name", "my-app");
        Assert.Equal(2, Lines(named.Out).Length);
        Assert.EndsWith("info ocirepository/my-app.team-a - stored artifact ", Lines(named.Out)[1]);

        var tail = await WeirRun.RunAsync(_flux.Kubeconfig, "logs", "--log-file", file, "-A", "--tail", "1");
        Assert.Equal(["2026-11-23T01:02:03.000Z info ocirepository/my-app.team-a - stored artifact "], Lines(tail.Out));

        var missing = await WeirRun.RunAsync(_flux.Kubeconfig, "logs", "--log-file", Path.Combine(_dir, "nope.log"));
        Assert.Equal(1, missing.Code);
    }

    [Fact]
    public async Task BuildAppliesTheKustomizationSpecFromTheClusterOrOffline()
    {
        var ns = await _flux.NamespaceAsync("build");
        var path = AppDir("build", replicas: 2);
        var ks = new JsonObject
        {
            ["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1",
            ["kind"] = "Kustomization",
            ["metadata"] = new JsonObject { ["name"] = "apps", ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["interval"] = "10m",
                ["path"] = "./",
                ["prune"] = true,
                ["targetNamespace"] = "prod",
                ["sourceRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = "my-app" },
                ["postBuild"] = new JsonObject { ["substitute"] = new JsonObject { ["version"] = "1.4.0" } },
            },
        };
        await _flux.Client.CreateAsync(KubeResource.Kustomization, ks);

        var result = await WeirRun.RunAsync(_flux.Kubeconfig, "build", "kustomization", "apps", "-n", ns, "--path", path);

        Assert.Equal(0, result.Code);
        var docs = KubeYaml.ParseAll(result.Out).OfType<JsonObject>().ToList();
        var deployment = docs.Single(d => d.Kind() == "Deployment");
        Assert.Equal("prod", deployment.Namespace());
        Assert.Equal("apps", deployment.Label("kustomize.toolkit.fluxcd.io/name"));
        Assert.Equal(ns, deployment.Label("kustomize.toolkit.fluxcd.io/namespace"));
        Assert.Equal("nginx:1.4.0", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Contains(docs, d => d.Kind() == "Service" && d.Namespace() == "prod");

        var offlineFile = Path.Combine(_dir, "ks.yaml");
        await File.WriteAllTextAsync(offlineFile, KubeYaml.Serialize(ks));
        var offline = await WeirRun.RunAsync("/nonexistent/kubeconfig", "build", "ks", "apps", "--path", path, "--dry-run", "--kustomization-file", offlineFile);
        Assert.Equal(0, offline.Code);
        Assert.Equal(result.Out, offline.Out);

        var badPath = await WeirRun.RunAsync(_flux.Kubeconfig, "build", "ks", "apps", "-n", ns, "--path", Path.Combine(_dir, "missing"));
        Assert.Equal(1, badPath.Code);
        Assert.StartsWith("✗ invalid resource path", badPath.Err);
    }

    [Fact]
    public async Task DiffExitsZeroOneOrTwoAndNamesDriftedCreatedAndDeletedObjects()
    {
        var ns = await _flux.NamespaceAsync("diff");
        await _flux.KustomizationAsync(ns, "apps", "my-app");
        var live = AppDir("diff-live", replicas: 1, ns: ns);
        // What the controller would have applied: the build of the live directory, applied for real.
        var built = await WeirRun.RunAsync(_flux.Kubeconfig, "build", "ks", "apps", "-n", ns, "--path", live);
        var manifest = Path.Combine(_dir, "applied.yaml");
        await File.WriteAllTextAsync(manifest, built.Out);
        var (code, _, err) = await Kubectl.RunAsync(_flux.Kubeconfig, 32, "apply", "--server-side", "--field-manager", "kustomize-controller", "-f", manifest);
        Assert.True(code == 0, err);
        JsonObject Id(string id) => new() { ["id"] = id, ["v"] = "v1" };
        await _flux.AppliedAsync(ns, "apps", "v1@" + FluxObjects.Digest('1'), new JsonArray(Id($"{ns}_web_apps_Deployment"), Id($"{ns}_web__Service")));

        var none = await WeirRun.RunAsync(_flux.Kubeconfig, "diff", "kustomization", "apps", "-n", ns, "--path", live);
        Assert.True(none.Code == 0, none.Out + none.Err);
        Assert.Equal("", none.Out);

        var added = await WeirRun.RunAsync(_flux.Kubeconfig, "diff", "ks", "apps", "-n", ns, "--path", AppDir("diff-added", replicas: 1, ns: ns, configMap: "settings"));
        Assert.Equal(1, added.Code);
        Assert.Equal($"► ConfigMap/{ns}/settings created\n", added.Out);

        await _flux.AppliedAsync(ns, "apps", "v1@" + FluxObjects.Digest('1'), new JsonArray(
            Id($"{ns}_web_apps_Deployment"), Id($"{ns}_web__Service"), Id($"{ns}_old__ConfigMap")));
        var diff = await WeirRun.RunAsync(_flux.Kubeconfig, "diff", "ks", "apps", "-n", ns, "--path", AppDir("diff-changed", replicas: 3, ns: ns));
        Assert.Equal(1, diff.Code);
        Assert.Equal($"► Deployment/{ns}/web drifted\n\nspec.replicas\n  ± value change\n    - 1\n    + 3\n\n► ConfigMap/{ns}/old deleted\n", diff.Out);

        var error = await WeirRun.RunAsync(_flux.Kubeconfig, "diff", "ks", "ghost", "-n", ns, "--path", live);
        Assert.Equal(2, error.Code);
        Assert.Equal($"✗ Kustomization object 'ghost' not found in \"{ns}\" namespace\n", error.Err);
    }

    [Fact]
    public async Task DiffAndBuildNeverPrintSecretValues()
    {
        var ns = await _flux.NamespaceAsync("secret-diff");
        await _flux.KustomizationAsync(ns, "apps", "my-app");
        string B64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
        string SecretDir(string name, params (string Key, string Value)[] data)
        {
            var dir = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
            var lines = string.Concat(data.Select(d => $"  {d.Key}: {B64(d.Value)}\n"));
            File.WriteAllText(Path.Combine(dir, "secret.yaml"), $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: {ns}\ntype: Opaque\ndata:\n{lines}");
            return dir;
        }

        // What the controller would have applied: the build of the live directory (plain values print as the files
        // hold them, as flux build prints them), applied for real.
        var live = SecretDir("secret-live", ("password", "old-hunter2"), ("user", "admin-alice"), ("gone", "old-token-9"));
        var built = await WeirRun.RunAsync(_flux.Kubeconfig, "build", "ks", "apps", "-n", ns, "--path", live);
        Assert.Contains(B64("old-hunter2"), built.Out);
        var manifest = Path.Combine(_dir, "secret-applied.yaml");
        await File.WriteAllTextAsync(manifest, built.Out);
        var (code, _, err) = await Kubectl.RunAsync(_flux.Kubeconfig, 32, "apply", "--server-side", "--field-manager", "kustomize-controller", "-f", manifest);
        Assert.True(code == 0, err);

        var changed = SecretDir("secret-changed", ("password", "new-hunter2"), ("user", "admin-alice"), ("added", "new-token-7"));
        var diff = await WeirRun.RunAsync(_flux.Kubeconfig, "diff", "ks", "apps", "-n", ns, "--path", changed);
        Assert.True(diff.Code == 1, diff.Out + diff.Err);
        Assert.Equal(
            $"► Secret/{ns}/creds drifted\n\n" +
            "data.added\n  + one value added\n    + ***\n\n" +
            "data.gone\n  - one value removed\n    - ***\n\n" +
            "data.password\n  ± value change\n    - *** (before)\n    + *** (after)\n\n",
            diff.Out);
        foreach (var value in new[] { "old-hunter2", "new-hunter2", "admin-alice", "old-token-9", "new-token-7" })
        {
            Assert.DoesNotContain(value, diff.Out + diff.Err);
            Assert.DoesNotContain(B64(value), diff.Out + diff.Err);
        }

        // flux build masks SOPS ciphertext.
        var encrypted = Directory.CreateDirectory(Path.Combine(_dir, "secret-sops")).FullName;
        File.WriteAllText(Path.Combine(encrypted, "secret.yaml"), SopsSecret.Manifest("db", ns));
        var build = await WeirRun.RunAsync(_flux.Kubeconfig, "build", "ks", "apps", "-n", ns, "--path", encrypted);
        Assert.True(build.Code == 0, build.Err);
        var secret = KubeYaml.ParseAll(build.Out).OfType<JsonObject>().Single();
        Assert.Equal(B64("**SOPS**"), secret["data"]!["password"]!.GetValue<string>());
        Assert.Null(secret["sops"]);
        Assert.DoesNotContain("ENC[", build.Out);
    }

    [Fact]
    public async Task InstallExportPassesAServerSideDryRun()
    {
        var export = await WeirRun.RunAsync(_flux.Kubeconfig, "install", "--export");
        Assert.Equal(0, export.Code);
        var docs = KubeYaml.ParseAll(export.Out).OfType<JsonObject>().ToList();
        Assert.Equal(CrdCatalog.Descriptors.Count, docs.Count(d => d.Kind() == "CustomResourceDefinition"));
        var deployment = docs.Single(d => d.Kind() == "Deployment");
        Assert.Equal("controller", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]![0]!.GetValue<string>());
        Assert.Contains(docs, d => d.Kind() == "Service" && d.Name() == "source-controller");
        Assert.Contains(docs, d => d.Kind() == "ClusterRoleBinding");

        var file = Path.Combine(_dir, "install.yaml");
        await File.WriteAllTextAsync(file, export.Out);
        var (code, stdout, stderr) = await Kubectl.RunAsync(_flux.Kubeconfig, 32, "apply", "--server-side", "--dry-run=server", "-f", file);
        Assert.True(code == 0, stderr);
        Assert.Contains("deployment.apps/weir-controller serverside-applied (server dry run)", stdout);
        Assert.Contains("clusterrole.rbac.authorization.k8s.io/weir-controller serverside-applied (server dry run)", stdout);
        Assert.Null(await _flux.Client.GetAsync(KubeResource.Deployment, new ObjectKey("flux-system", "weir-controller")));

        var noExport = await WeirRun.RunAsync(_flux.Kubeconfig, "install");
        Assert.Equal(2, noExport.Code);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private string AppDir(string name, int replicas, string? ns = null, string? configMap = null)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
        var nsLine = ns is null ? "" : $"\n  namespace: {ns}";
        File.WriteAllText(Path.Combine(dir, "app.yaml"), $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web{nsLine}
            spec:
              replicas: {replicas}
              selector:
                matchLabels: {"{"}app: web{"}"}
              template:
                metadata:
                  labels: {"{"}app: web{"}"}
                spec:
                  containers:
                  - name: web
                    image: nginx:${"{"}version:=1.0.0{"}"}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web{nsLine}
            spec:
              selector: {"{"}app: web{"}"}
              ports:
              - port: 80
            """);
        if (configMap is not null)
        {
            File.WriteAllText(Path.Combine(dir, "cm.yaml"), $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {configMap}{nsLine}\ndata:\n  a: b\n");
        }

        return dir;
    }
}
