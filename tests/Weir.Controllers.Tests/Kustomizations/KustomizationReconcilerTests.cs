using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Testing;
using static Weir.Controllers.Tests.Kustomizations.KustomizeControllerHarness;

namespace Weir.Controllers.Tests.Kustomizations;

public sealed class KustomizationReconcilerTests(KustomizeControllerHarness harness) : IClassFixture<KustomizeControllerHarness>
{
    private static string ConfigMap(string ns, string name, string value, string annotations = "") => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
          namespace: {ns}{annotations}
        data:
          value: "{value}"
        ---

        """;

    private static string Deployment(string ns, string name, string image) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: {name}
          template:
            metadata:
              labels:
                app: {name}
            spec:
              containers:
              - name: app
                image: {image}
        ---

        """;

    private static string Service(string ns, string name, int port) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          selector:
            app: {name}
          ports:
          - port: {port}
        ---

        """;

    private async Task<JsonObject?> GetConfigMapAsync(string ns, string name) =>
        await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey(ns, name));

    [Fact]
    public async Task AppliesTheArtifactAndReportsTheAppliedRevision()
    {
        await harness.CreateNamespaceAsync("apply-ok");
        var digest = await harness.PushAsync("apply-ok", "v2.1.0", new Dictionary<string, string>
        {
            ["app.yaml"] = ConfigMap("apply-ok", "settings", "a") + Deployment("apply-ok", "web", "ghcr.io/example/web:1.0") + Service("apply-ok", "web", 80),
        });
        await harness.CreateSourceAsync("apply-ok", "apply-ok");
        await harness.CreateKustomizationAsync("apply-ok", "apply-ok");

        var ready = await harness.WaitForReadyAsync("apply-ok", IsTrue);
        Assert.Equal($"Applied revision: v2.1.0@{digest}", Message(ready));
        Assert.Equal("ReconciliationSucceeded", ready["reason"]!.GetValue<string>());

        var status = (await harness.GetAsync("apply-ok"))["status"]!;
        Assert.Equal($"v2.1.0@{digest}", status["lastAppliedRevision"]!.GetValue<string>());
        Assert.Equal($"v2.1.0@{digest}", status["lastAttemptedRevision"]!.GetValue<string>());
        Assert.Equal("v2.1.0@sha1:0123456789abcdef0123456789abcdef01234567", status["lastAppliedOriginRevision"]!.GetValue<string>());
        var ids = status["inventory"]!["entries"]!.AsArray().Select(e => e!["id"]!.GetValue<string>() + " " + e["v"]!.GetValue<string>()).ToList();
        Assert.Equal(["apply-ok_settings__ConfigMap v1", "apply-ok_web__Service v1", "apply-ok_web_apps_Deployment v1"], ids);
        var history = status["history"]!.AsArray();
        Assert.Single(history);
        Assert.Equal("ReconciliationSucceeded", history[0]!["lastReconciledStatus"]!.GetValue<string>());
        Assert.StartsWith("sha256:", history[0]!["digest"]!.GetValue<string>());
        Assert.Equal($"v2.1.0@{digest}", history[0]!["metadata"]!["revision"]!.GetValue<string>());

        var deployment = await harness.Client.GetAsync(new KubeResource("apps", "v1", "deployments", "Deployment"), new ObjectKey("apply-ok", "web"));
        Assert.NotNull(deployment);
        Assert.Equal("apply-ok", deployment.Label("kustomize.toolkit.fluxcd.io/name"));
        Assert.Equal("flux-system", deployment.Label("kustomize.toolkit.fluxcd.io/namespace"));
        Assert.Contains(deployment["metadata"]!["managedFields"]!.AsArray(),
            f => f!["manager"]!.GetValue<string>() == "kustomize-controller" && f["operation"]!.GetValue<string>() == "Apply");

        var events = await harness.EventsAsync("apply-ok");
        Assert.Contains(events, e => e["message"]!.GetValue<string>() ==
            "ConfigMap/apply-ok/settings created\nService/apply-ok/web created\nDeployment/apply-ok/web created");
        Assert.Contains(events, e => e["message"]!.GetValue<string>().StartsWith("Reconciliation finished in ", StringComparison.Ordinal));

        var (code, stdout, stderr) = await Kubectl.RunAsync(harness.Kubeconfig, 32, "get", "ocirepository,kustomization", "-n", "flux-system");
        Assert.True(code == 0, stderr);
        var line = stdout.Split('\n').Single(l => l.StartsWith("kustomization.kustomize.toolkit.fluxcd.io/apply-ok ", StringComparison.Ordinal));
        Assert.Matches($@"^kustomization\S+/apply-ok\s+True\s+Applied revision: v2\.1\.0@{digest}\s+\S+\s*$", line);
    }

    [Fact]
    public async Task UnchangedObjectsAreNotReappliedAndDriftIsCorrected()
    {
        await harness.CreateNamespaceAsync("drift");
        await harness.PushAsync("drift", "v1.0.0", new Dictionary<string, string> { ["cm.yaml"] = ConfigMap("drift", "settings", "desired") });
        await harness.CreateSourceAsync("drift", "drift");
        await harness.CreateKustomizationAsync("drift", "drift");
        await harness.WaitForReadyAsync("drift", IsTrue);
        var applied = await GetConfigMapAsync("drift", "settings");

        // A second reconcile of the same revision changes nothing.
        await harness.ReconcileAndWaitAsync("drift");
        Assert.Equal(applied!.ResourceVersion(), (await GetConfigMapAsync("drift", "settings"))!.ResourceVersion());
        var before = TotalReconciliations(await harness.GetAsync("drift"));

        await harness.Client.PatchAsync(KubeResource.ConfigMap, new ObjectKey("drift", "settings"),
            new JsonObject { ["data"] = new JsonObject { ["value"] = "edited by hand" } }, "merge");
        var handled = await harness.ReconcileAndWaitAsync("drift");
        Assert.Equal("desired", (await GetConfigMapAsync("drift", "settings"))!["data"]!["value"]!.GetValue<string>());
        Assert.Contains(await harness.EventsAsync("drift"), e => e["message"]!.GetValue<string>() == "ConfigMap/drift/settings configured");
        Assert.Single(handled["status"]!["history"]!.AsArray());
        Assert.True(TotalReconciliations(handled) > before, "the requested reconcile is counted in the one history entry");
    }

    private static long TotalReconciliations(JsonObject kustomization) =>
        kustomization["status"]!["history"]![0]!["totalReconciliations"]!.GetValue<long>();

    [Fact]
    public async Task PruneDeletesRemovedObjectsButKeepsThoseWithPruneDisabled()
    {
        await harness.CreateNamespaceAsync("prune");
        const string keep = "\n  annotations:\n    kustomize.toolkit.fluxcd.io/prune: disabled";
        await harness.PushAsync("prune", "v1.0.0", new Dictionary<string, string>
        {
            ["all.yaml"] = ConfigMap("prune", "stays", "1") + ConfigMap("prune", "kept", "1", keep) + ConfigMap("prune", "goes", "1"),
        });
        await harness.CreateSourceAsync("prune", "prune");
        await harness.CreateKustomizationAsync("prune", "prune");
        await harness.WaitForReadyAsync("prune", IsTrue);
        Assert.NotNull(await GetConfigMapAsync("prune", "goes"));

        var v2 = await harness.PushAsync("prune", "v1.1.0", new Dictionary<string, string> { ["all.yaml"] = ConfigMap("prune", "stays", "2") });
        await harness.RequestReconcileAsync(KubeResource.OCIRepository, "prune");
        await harness.WaitForReadyAsync("prune", c => IsTrue(c) && Message(c) == $"Applied revision: v1.1.0@{v2}");

        Assert.Null(await GetConfigMapAsync("prune", "goes"));
        Assert.NotNull(await GetConfigMapAsync("prune", "kept"));
        Assert.Equal("2", (await GetConfigMapAsync("prune", "stays"))!["data"]!["value"]!.GetValue<string>());
        var ids = (await harness.GetAsync("prune"))["status"]!["inventory"]!["entries"]!.AsArray().Select(e => e!["id"]!.GetValue<string>());
        Assert.Equal(["prune_stays__ConfigMap"], ids);
        Assert.Contains(await harness.EventsAsync("prune"), e =>
            e["message"]!.GetValue<string>() == "ConfigMap/prune/kept skipped\nConfigMap/prune/goes deleted");
    }

    [Fact]
    public async Task AnObjectTheServerRejectsStopsTheWholeRevision()
    {
        await harness.CreateNamespaceAsync("invalid");
        await harness.PushAsync("invalid", "v1.0.0", new Dictionary<string, string>
        {
            ["app.yaml"] = ConfigMap("invalid", "settings", "a") + Service("invalid", "my-app", 70000),
        });
        await harness.CreateSourceAsync("invalid", "invalid");
        await harness.CreateKustomizationAsync("invalid", "invalid");

        var failed = await harness.WaitForReadyAsync("invalid", c => IsFalse(c) && c["reason"]!.GetValue<string>() != "ArtifactFailed");
        Assert.Equal("ReconciliationFailed", failed["reason"]!.GetValue<string>());
        Assert.StartsWith("Service/invalid/my-app dry-run failed (Invalid): Service \"my-app\" is invalid: spec.ports[0].port: Invalid value: 70000",
            Message(failed));
        Assert.Null(await GetConfigMapAsync("invalid", "settings"));
        var status = (await harness.GetAsync("invalid"))["status"]!;
        Assert.Null(status["lastAppliedRevision"]);
        Assert.NotNull(status["lastAttemptedRevision"]);
        Assert.Equal("ReconciliationFailed", status["history"]![0]!["lastReconciledStatus"]!.GetValue<string>());
        Assert.Contains(await harness.EventsAsync("invalid"), e => e["type"]!.GetValue<string>() == "Warning"
            && e["reason"]!.GetValue<string>() == "ReconciliationFailed");
    }

    [Fact]
    public async Task BuildFailureNamesTheCause()
    {
        await harness.PushAsync("broken-build", "v1.0.0", new Dictionary<string, string>
        {
            ["kustomization.yaml"] = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- missing.yaml\n",
        });
        await harness.CreateSourceAsync("broken-build", "broken-build");
        await harness.CreateKustomizationAsync("broken-build", "broken-build");

        var failed = await harness.WaitForReadyAsync("broken-build", c => IsFalse(c) && c["reason"]!.GetValue<string>() != "ArtifactFailed");
        Assert.Equal("BuildFailed", failed["reason"]!.GetValue<string>());
        Assert.StartsWith("kustomize build failed: ", Message(failed));
        Assert.Contains("missing.yaml", Message(failed));
        var (code, stdout, stderr) = await Kubectl.RunAsync(harness.Kubeconfig, 32, "get", "kustomization", "broken-build", "-n", "flux-system");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"broken-build\s+False\s+kustomize build failed: ", stdout);
    }

    [Fact]
    public async Task MissingPathIsReportedAsArtifactFailure()
    {
        await harness.PushAsync("bad-path", "v1.0.0", new Dictionary<string, string> { ["cm.yaml"] = ConfigMap("default", "bad-path", "x") });
        await harness.CreateSourceAsync("bad-path", "bad-path");
        await harness.CreateKustomizationAsync("bad-path", "bad-path", new JsonObject { ["path"] = "./invalid" });
        var failed = await harness.WaitForReadyAsync("bad-path", c => IsFalse(c) && Message(c).StartsWith("kustomization path", StringComparison.Ordinal));
        Assert.Equal("ArtifactFailed", failed["reason"]!.GetValue<string>());
        Assert.Matches("^kustomization path not found: stat /.*/invalid: no such file or directory$", Message(failed));
    }

    [Fact]
    public async Task DependencyNotReadyHoldsTheDependantUntilItIs()
    {
        await harness.CreateNamespaceAsync("deps");
        await harness.PushAsync("deps", "v1.0.0", new Dictionary<string, string> { ["cm.yaml"] = ConfigMap("deps", "app", "x") });
        await harness.CreateSourceAsync("deps", "deps");
        await harness.CreateKustomizationAsync("deps-infra", "no-such-source");
        await harness.CreateKustomizationAsync("deps-app", "deps", new JsonObject
        {
            ["dependsOn"] = new JsonArray(new JsonObject { ["name"] = "deps-infra" }),
        });

        var held = await harness.WaitForReadyAsync("deps-app", c => IsFalse(c) && c["reason"]!.GetValue<string>() != "ArtifactFailed");
        Assert.Equal("DependencyNotReady", held["reason"]!.GetValue<string>());
        Assert.Equal("dependency 'flux-system/deps-infra' is not ready", Message(held));
        Assert.Null(await GetConfigMapAsync("deps", "app"));
        var infra = await harness.WaitForReadyAsync("deps-infra", IsFalse);
        Assert.Equal("ArtifactFailed", infra["reason"]!.GetValue<string>());
        Assert.Equal("ocirepositories.source.toolkit.fluxcd.io \"no-such-source\" not found", Message(infra));

        await harness.PatchSpecAsync("deps-infra", new JsonObject { ["sourceRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = "deps" } });
        await harness.WaitForReadyAsync("deps-app", IsTrue);
        Assert.NotNull(await GetConfigMapAsync("deps", "app"));
    }

    [Fact]
    public async Task UnhealthyWorkloadFailsTheHealthCheckAtTheTimeout()
    {
        await harness.CreateNamespaceAsync("health");
        await harness.PushAsync("health", "v1.0.0", new Dictionary<string, string>
        {
            ["app.yaml"] = Deployment("health", "never-ready", "ghcr.io/example/never-ready:1.0-broken"),
        });
        await harness.CreateSourceAsync("health", "health");
        await harness.CreateKustomizationAsync("health", "health", new JsonObject { ["wait"] = true, ["timeout"] = "2s" });

        var failed = await harness.WaitForReadyAsync("health", c => IsFalse(c) && c["reason"]!.GetValue<string>() != "ArtifactFailed");
        Assert.Equal("HealthCheckFailed", failed["reason"]!.GetValue<string>());
        Assert.Matches(@"^health check failed after \d+(\.\d+)?m?s: timeout waiting for: \[Deployment/health/never-ready status: 'InProgress'\]$",
            Message(failed));
        var obj = await harness.GetAsync("health");
        var healthy = obj["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Healthy")!;
        Assert.Equal("False", healthy["status"]!.GetValue<string>());
        Assert.Null(obj["status"]!["lastAppliedRevision"]);
        Assert.Equal("ProgressingWithRetry",
            obj["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Reconciling")!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReadyIsUnknownWhileHealthChecksRunThenTrue()
    {
        await harness.CreateNamespaceAsync("healthy");
        var digest = await harness.PushAsync("healthy", "v2.1.0", new Dictionary<string, string>
        {
            ["app.yaml"] = Deployment("healthy", "web", "ghcr.io/example/web:1.0") + Service("healthy", "web", 80),
        });
        await harness.CreateSourceAsync("healthy", "healthy");
        await harness.CreateKustomizationAsync("healthy", "healthy", new JsonObject { ["wait"] = true });

        var inProgress = await harness.WaitForReadyAsync("healthy", c => c["status"]!.GetValue<string>() == "Unknown");
        Assert.Equal("Reconciliation in progress", Message(inProgress));
        Assert.Equal("Progressing", inProgress["reason"]!.GetValue<string>());
        var (code, stdout, stderr) = await Kubectl.RunAsync(harness.Kubeconfig, 32, "get", "kustomization", "healthy", "-n", "flux-system");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"healthy\s+(Unknown\s+Reconciliation in progress|True\s+Applied revision)", stdout);

        var ready = await harness.WaitForReadyAsync("healthy", IsTrue);
        Assert.Equal($"Applied revision: v2.1.0@{digest}", Message(ready));
        var conditions = (await harness.GetAsync("healthy"))["status"]!["conditions"]!.AsArray().OfType<JsonObject>().ToList();
        var healthy = conditions.Single(c => c["type"]!.GetValue<string>() == "Healthy");
        Assert.Equal("True", healthy["status"]!.GetValue<string>());
        Assert.Matches(@"^Health check passed in \d", Message(healthy));
        Assert.DoesNotContain(conditions, c => c["type"]!.GetValue<string>() == "Reconciling");
    }

    [Fact]
    public async Task ImmutableFieldChangeFailsUnlessForceRecreatesTheObject()
    {
        await harness.CreateNamespaceAsync("force");
        static string Selected(string label) => Deployment("force", "web", "ghcr.io/example/web:1.0").Replace("app: web", $"app: {label}");
        await harness.PushAsync("force", "v1.0.0", new Dictionary<string, string> { ["app.yaml"] = Selected("web") });
        await harness.CreateSourceAsync("force", "force");
        await harness.CreateKustomizationAsync("force", "force");
        await harness.WaitForReadyAsync("force", IsTrue);
        var uid = (await harness.Client.GetAsync(new KubeResource("apps", "v1", "deployments", "Deployment"), new ObjectKey("force", "web")))!.Uid();

        var v2 = await harness.PushAsync("force", "v2.0.0", new Dictionary<string, string> { ["app.yaml"] = Selected("web-v2") });
        await harness.RequestReconcileAsync(KubeResource.OCIRepository, "force");
        var failed = await harness.WaitForReadyAsync("force", c => IsFalse(c) && c["reason"]!.GetValue<string>() == "ReconciliationFailed");
        Assert.StartsWith("Deployment/force/web dry-run failed (Invalid): ", Message(failed));
        Assert.Contains("field is immutable", Message(failed));

        await harness.PatchSpecAsync("force", new JsonObject { ["force"] = true });
        await harness.WaitForReadyAsync("force", c => IsTrue(c) && Message(c) == $"Applied revision: v2.0.0@{v2}");
        var recreated = await harness.Client.GetAsync(new KubeResource("apps", "v1", "deployments", "Deployment"), new ObjectKey("force", "web"));
        Assert.NotEqual(uid, recreated!.Uid());
        Assert.Equal("web-v2", recreated!["spec"]!["selector"]!["matchLabels"]!["app"]!.GetValue<string>());
    }

    [Fact]
    public async Task ServiceAccountNameAppliesWithThatAccountsPermissions()
    {
        await harness.CreateNamespaceAsync("tenant");
        await harness.PushAsync("tenant", "v1.0.0", new Dictionary<string, string> { ["cm.yaml"] = ConfigMap("tenant", "settings", "x") });
        await harness.CreateSourceAsync("tenant", "tenant");
        await harness.CreateKustomizationAsync("tenant", "tenant", new JsonObject { ["serviceAccountName"] = "tenant-deployer" });

        var refused = await harness.WaitForReadyAsync("tenant", c => IsFalse(c) && c["reason"]!.GetValue<string>() == "ReconciliationFailed");
        Assert.StartsWith("ConfigMap/tenant/settings dry-run failed (Forbidden): ", Message(refused));
        Assert.Contains("system:serviceaccount:flux-system:tenant-deployer", Message(refused));
        Assert.Null(await GetConfigMapAsync("tenant", "settings"));

        await GrantAsync(harness.Client, "tenant", "tenant-deployer", "admin");
        await harness.RequestReconcileAsync(KubeResource.Kustomization, "tenant");
        await harness.WaitForReadyAsync("tenant", IsTrue);
        Assert.NotNull(await GetConfigMapAsync("tenant", "settings"));
    }

    [Fact]
    public async Task ANewSourceRevisionCancelsTheRunningHealthCheck()
    {
        await harness.CreateNamespaceAsync("cancel");
        await harness.PushAsync("cancel", "v1.0.0", new Dictionary<string, string>
        {
            ["app.yaml"] = Deployment("cancel", "web", "ghcr.io/example/web:1.0-broken"),
        });
        await harness.CreateSourceAsync("cancel", "cancel");
        await harness.CreateKustomizationAsync("cancel", "cancel", new JsonObject { ["wait"] = true, ["timeout"] = "5m" });
        await harness.WaitForReadyAsync("cancel", c => c["status"]!.GetValue<string>() == "Unknown"
            && (harness.GetAsync("cancel").Result["status"]?["conditions"]?.AsArray()
                .Any(x => x!["type"]!.GetValue<string>() == "Healthy") ?? false));

        var fixedDigest = await harness.PushAsync("cancel", "v1.0.1", new Dictionary<string, string>
        {
            ["app.yaml"] = Deployment("cancel", "web", "ghcr.io/example/web:1.0"),
        });
        await harness.RequestReconcileAsync(KubeResource.OCIRepository, "cancel");
        await harness.WaitForReadyAsync("cancel", c => IsTrue(c) && Message(c) == $"Applied revision: v1.0.1@{fixedDigest}");
        Assert.Contains(await harness.EventsAsync("cancel"), e =>
            e["message"]!.GetValue<string>() == "Health checks canceled due to new reconciliation triggered by OCIRepository/flux-system/cancel");
    }

    [Fact]
    public async Task SuspendedKustomizationAppliesNothingUntilResumed()
    {
        await harness.CreateNamespaceAsync("suspend");
        await harness.PushAsync("suspend", "v1.0.0", new Dictionary<string, string> { ["cm.yaml"] = ConfigMap("suspend", "app", "x") });
        await harness.CreateSourceAsync("suspend", "suspend");
        await harness.CreateKustomizationAsync("suspend", "suspend", new JsonObject { ["suspend"] = true });
        await Task.Delay(1500);
        Assert.Null(await GetConfigMapAsync("suspend", "app"));
        Assert.Null(Ready(await harness.GetAsync("suspend")));

        await harness.PatchSpecAsync("suspend", new JsonObject { ["suspend"] = false });
        await harness.WaitForReadyAsync("suspend", IsTrue);
        Assert.NotNull(await GetConfigMapAsync("suspend", "app"));
    }

    [Fact]
    public async Task DeletionPolicyDecidesWhatHappensToAppliedObjects()
    {
        await harness.CreateNamespaceAsync("deletion");
        await harness.PushAsync("deletion", "v1.0.0", new Dictionary<string, string>
        {
            ["cm.yaml"] = ConfigMap("deletion", "mirrored", "x"),
        });
        await harness.PushAsync("deletion-orphan", "v1.0.0", new Dictionary<string, string>
        {
            ["cm.yaml"] = ConfigMap("deletion", "orphaned", "x"),
        });
        await harness.CreateSourceAsync("deletion", "deletion");
        await harness.CreateSourceAsync("deletion-orphan", "deletion-orphan");
        await harness.CreateKustomizationAsync("deletion", "deletion");
        await harness.CreateKustomizationAsync("deletion-orphan", "deletion-orphan", new JsonObject { ["deletionPolicy"] = "Orphan" });
        await harness.WaitForReadyAsync("deletion", IsTrue);
        await harness.WaitForReadyAsync("deletion-orphan", IsTrue);
        Assert.Contains("finalizers.fluxcd.io", (await harness.GetAsync("deletion"))["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));

        await harness.Client.DeleteAsync(KubeResource.Kustomization, new ObjectKey("flux-system", "deletion"));
        await harness.Client.DeleteAsync(KubeResource.Kustomization, new ObjectKey("flux-system", "deletion-orphan"));
        await WaitUntilAsync(async () => await harness.Client.GetAsync(KubeResource.Kustomization, new ObjectKey("flux-system", "deletion")) is null
            && await harness.Client.GetAsync(KubeResource.Kustomization, new ObjectKey("flux-system", "deletion-orphan")) is null);
        Assert.Null(await GetConfigMapAsync("deletion", "mirrored"));
        Assert.NotNull(await GetConfigMapAsync("deletion", "orphaned"));
    }

    [Fact]
    public async Task PostBuildSubstitutesFromConfigMapsAndInlineVariables()
    {
        await harness.CreateNamespaceAsync("subst");
        await harness.Client.CreateAsync(KubeResource.ConfigMap, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "cluster-vars", ["namespace"] = "flux-system" },
            ["data"] = new JsonObject { ["region"] = "eu-west-1", ["tier"] = "from-configmap" },
        });
        await harness.PushAsync("subst", "v1.0.0", new Dictionary<string, string>
        {
            ["cm.yaml"] = ConfigMap("subst", "settings", "${region}/${tier}/${missing:=fallback}"),
        });
        await harness.CreateSourceAsync("subst", "subst");
        await harness.CreateKustomizationAsync("subst", "subst", new JsonObject
        {
            ["namePrefix"] = "p-",
            ["commonMetadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "platform" } },
            ["postBuild"] = new JsonObject
            {
                ["substitute"] = new JsonObject { ["tier"] = "inline" },
                ["substituteFrom"] = new JsonArray(new JsonObject { ["kind"] = "ConfigMap", ["name"] = "cluster-vars" }),
            },
        });
        await harness.WaitForReadyAsync("subst", IsTrue);
        var cm = await GetConfigMapAsync("subst", "p-settings");
        Assert.Equal("eu-west-1/inline/fallback", cm!["data"]!["value"]!.GetValue<string>());
        Assert.Equal("platform", cm.Label("team"));
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("condition never held; errors: " + string.Join("\n", harness.Errors));
    }
}
