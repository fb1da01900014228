using System.Text.Json.Nodes;
using Weir.Core.Time;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary>events, tree, trace, stats, check and version against the embedded API server.</summary>
public sealed class InspectTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>
{
    private readonly FluxObjects _flux = new(cluster);

    private static JsonObject Entry(string ns, string name, string group, string kind, string version = "v1") =>
        new() { ["id"] = $"{ns}_{name}_{group}_{kind}", ["v"] = version };

    [Fact]
    public async Task EventsAreListedOldestFirstAndFilteredForAnObjectAndItsSource()
    {
        var ns = await _flux.NamespaceAsync("events");
        var source = await _flux.OciRepositoryAsync(ns, "my-app");
        var ks = await _flux.KustomizationAsync(ns, "apps", "my-app");
        var other = await _flux.OciRepositoryAsync(ns, "other");
        var sourceEvents = new EventRecorder(_flux.Client, "source-controller");
        await sourceEvents.RecordAsync(source, EventRecorder.Warning, "OCIArtifactPullFailed", "failed to pull artifact: 401 Unauthorized");
        await sourceEvents.RecordAsync(source, EventRecorder.Warning, "OCIArtifactPullFailed", "failed to pull artifact: 401 Unauthorized");
        await sourceEvents.RecordAsync(other, EventRecorder.Normal, "NewArtifact", "stored artifact with revision 'v1@sha256:aa'");
        await new EventRecorder(_flux.Client, "kustomize-controller").RecordAsync(ks, EventRecorder.Normal, "ReconciliationSucceeded", "Reconciliation finished in 120ms");

        var all = await WeirRun.RunAsync(_flux.Kubeconfig, "events", "-n", ns);
        Assert.Equal(0, all.Code);
        var rows = FluxTableAssert.Parse(all.Out, "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
        Assert.Equal(3, rows.Count);
        var pull = rows.Single(r => r[2] == "OCIArtifactPullFailed");
        Assert.Matches(@"^\d+s \(x2 over \d+s\)$", pull[0]);
        Assert.Equal(["Warning", "OCIArtifactPullFailed", "OCIRepository/my-app", "failed to pull artifact: 401 Unauthorized"], pull[1..]);

        var forKs = await WeirRun.RunAsync(_flux.Kubeconfig, "events", "-n", ns, "--for", "Kustomization/apps");
        Assert.Equal(["Kustomization/apps", "OCIRepository/my-app"],
            FluxTableAssert.Parse(forKs.Out, "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE").Select(r => r[3]).Distinct().Order());

        var warnings = await WeirRun.RunAsync(_flux.Kubeconfig, "events", "-n", ns, "--types", "Warning");
        Assert.All(FluxTableAssert.Parse(warnings.Out, "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"), r => Assert.Equal("Warning", r[1]));

        var empty = await WeirRun.RunAsync(_flux.Kubeconfig, "events", "-n", await _flux.NamespaceAsync("events-none"));
        Assert.Equal(0, empty.Code);
        Assert.Equal("✗ No events found in events-none namespace.\n", empty.Err);

        var badFor = await WeirRun.RunAsync(_flux.Kubeconfig, "events", "-n", ns, "--for", "apps");
        Assert.Equal(2, badFor.Code);
    }

    [Fact]
    public async Task EventsWatchAppendsNewEvents()
    {
        var ns = await _flux.NamespaceAsync("events-watch");
        var source = await _flux.OciRepositoryAsync(ns, "my-app");
        var recorder = new EventRecorder(_flux.Client, "source-controller");
        await recorder.RecordAsync(source, EventRecorder.Normal, "Progressing", "building artifact");
        using var process = WeirRun.Start(_flux.Kubeconfig, null, "events", "-n", ns, "-w", "--timeout", "30s");
        var reader = new LineReader(process.StandardOutput);
        Assert.StartsWith("LAST SEEN", await reader.NextAsync());
        Assert.Contains("\tProgressing\t", await reader.NextAsync());
        await recorder.RecordAsync(source, EventRecorder.Normal, "NewArtifact", "stored artifact with revision 'v2@sha256:bb'");
        var line = await reader.NextAsync(l => l.Contains("NewArtifact"));
        Assert.Matches(@"^\d+s\tNormal\tNewArtifact\tOCIRepository/my-app\tstored artifact with revision 'v2@sha256:bb'\t$", line);
        process.Kill();
    }

    [Fact]
    public async Task TreeWalksTheInventoryIntoNestedKustomizations()
    {
        var ns = await _flux.NamespaceAsync("tree");
        await _flux.KustomizationAsync(ns, "infra", "my-app");
        await _flux.KustomizationAsync(ns, "apps", "my-app");
        await _flux.AppliedAsync(ns, "infra", "v1@" + FluxObjects.Digest('1'), new JsonArray(
            Entry("", "demo", "", "Namespace"),
            Entry(ns, "apps", "kustomize.toolkit.fluxcd.io", "Kustomization"),
            Entry(ns, "my-app", "source.toolkit.fluxcd.io", "OCIRepository")));
        await _flux.AppliedAsync(ns, "apps", "v1@" + FluxObjects.Digest('1'), new JsonArray(
            Entry("demo", "web", "", "Service"),
            Entry("demo", "web", "apps", "Deployment")));

        var tree = await WeirRun.RunAsync(_flux.Kubeconfig, "tree", "kustomization", "infra", "-n", ns);
        Assert.Equal(0, tree.Code);
        Assert.Equal(
            $"Kustomization/{ns}/infra\n" +
            "├── Namespace/demo\n" +
            $"├── Kustomization/{ns}/apps\n" +
            "│   ├── Service/demo/web\n" +
            "│   └── Deployment/demo/web\n" +
            $"└── OCIRepository/{ns}/my-app\n",
            tree.Out);

        var compact = await WeirRun.RunAsync(_flux.Kubeconfig, "tree", "ks", "infra", "-n", ns, "--compact");
        Assert.Equal($"Kustomization/{ns}/infra\n├── Kustomization/{ns}/apps\n└── OCIRepository/{ns}/my-app\n", compact.Out);

        var json = JsonNode.Parse((await WeirRun.RunAsync(_flux.Kubeconfig, "tree", "ks", "infra", "-n", ns, "-o", "json")).Out)!;
        Assert.Equal("Deployment/demo/web", json["resources"]![1]!["resources"]![1]!["resource"]!.GetValue<string>());

        var missing = await WeirRun.RunAsync(_flux.Kubeconfig, "tree", "ks", "nope", "-n", ns);
        Assert.Equal(1, missing.Code);
        Assert.Equal($"✗ Kustomization object 'nope' not found in \"{ns}\" namespace\n", missing.Err);
    }

    [Fact]
    public async Task TraceFollowsOwnershipLabelsToTheKustomizationAndItsSource()
    {
        var ns = await _flux.NamespaceAsync("trace");
        var app = await _flux.NamespaceAsync("trace-app");
        await _flux.OciRepositoryAsync(ns, "my-app");
        var at = new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero);
        await _flux.SourceReadyAsync(ns, "my-app", "v1.4.0", 'a', at);
        await _flux.KustomizationAsync(ns, "apps", "my-app", path: "./deploy");
        await _flux.AppliedAsync(ns, "apps", "v1.4.0@" + FluxObjects.Digest('a'), at: at.AddMinutes(1));
        await _flux.Client.CreateAsync(KubeResource.ConfigMap, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = "settings",
                ["namespace"] = app,
                ["labels"] = new JsonObject { ["kustomize.toolkit.fluxcd.io/name"] = "apps", ["kustomize.toolkit.fluxcd.io/namespace"] = ns },
            },
        });
        await _flux.Client.CreateAsync(KubeResource.ConfigMap, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "by-hand", ["namespace"] = app },
        });

        var trace = await WeirRun.RunAsync(_flux.Kubeconfig, "trace", "configmap", "settings", "-n", app);

        Assert.Equal(0, trace.Code);
        Assert.Equal(string.Join("\n", [
            "",
            "Object:          ConfigMap/settings",
            $"Namespace:       {app}",
            "Status:          Managed by Flux",
            "---",
            "Kustomization:   apps",
            $"Namespace:       {ns}",
            "Path:            ./deploy",
            "Revision:        v1.4.0@" + FluxObjects.Digest('a'),
            "Status:          Last reconciled at 2026-11-20 08:31:00 +0000 UTC",
            "Message:         Applied revision: v1.4.0@" + FluxObjects.Digest('a'),
            "---",
            "OCIRepository:   my-app",
            $"Namespace:       {ns}",
            "URL:             oci://registry.example/apps/my-app",
            "Tag:             >=1.0.0",
            "Revision:        v1.4.0@" + FluxObjects.Digest('a'),
            "Status:          Last reconciled at 2026-11-20 08:30:00 +0000 UTC",
            "Message:         stored artifact for digest 'v1.4.0@" + FluxObjects.Digest('a') + "'",
            ""]), trace.Out);

        var slash = await WeirRun.RunAsync(_flux.Kubeconfig, "trace", "ConfigMap/settings", "-n", app);
        Assert.Equal(trace.Out, slash.Out);

        var unmanaged = await WeirRun.RunAsync(_flux.Kubeconfig, "trace", "configmap", "by-hand", "-n", app);
        Assert.Equal(1, unmanaged.Code);
        Assert.Equal("✗ object not managed by Flux\n", unmanaged.Err);
    }

    [Fact]
    public async Task StatsCountRunningFailingSuspendedAndStorage()
    {
        var ns = await _flux.NamespaceAsync("stats");
        await _flux.OciRepositoryAsync(ns, "a");
        await _flux.SourceReadyAsync(ns, "a", "v1", 'a');
        await _flux.OciRepositoryAsync(ns, "b");
        await _flux.SourceReadyAsync(ns, "b", "v1", 'b');
        await _flux.OciRepositoryAsync(ns, "c", suspend: true);
        await _flux.KustomizationAsync(ns, "broken", "a");
        await _flux.BuildFailedAsync(ns, "broken", "", "v1@" + FluxObjects.Digest('a'), "kustomize build failed");

        var stats = await WeirRun.RunAsync(_flux.Kubeconfig, "stats", "-n", ns);

        Assert.Equal(0, stats.Code);
        var rows = FluxTableAssert.Parse(stats.Out, "RECONCILERS", "RUNNING", "FAILING", "SUSPENDED", "STORAGE");
        Assert.Equal(["GitRepository", "OCIRepository", "HelmRepository", "HelmChart", "Bucket", "Kustomization", "HelmRelease"], rows.Select(r => r[0]));
        Assert.Equal(["OCIRepository", "2", "0", "1", "3.0 KiB"], rows[1]);
        Assert.Equal(["Kustomization", "1", "1", "0", "-"], rows[5]);
    }

    [Fact]
    public async Task CheckReportsCrdsAndControllersAndFailsWithoutAController()
    {
        var ns = await _flux.NamespaceAsync("check");
        var without = await WeirRun.RunAsync(_flux.Kubeconfig, "check", "-n", ns);
        Assert.Equal(1, without.Code);
        Assert.StartsWith("► checking prerequisites\n✔ Kubernetes 1.37.0 >=1.28.0-0\n✔ prerequisites checks passed\n► checking controllers\n✗ controllers: no weir-controllers Lease", without.Err);
        Assert.Contains("✔ kustomizations.kustomize.toolkit.fluxcd.io/v1\n", without.Err);
        Assert.Contains("✔ helmreleases.helm.toolkit.fluxcd.io/v2\n", without.Err);
        Assert.EndsWith("✗ check failed\n", without.Err);

        await _flux.Client.CreateAsync(KubeResource.Lease, new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = "weir-controllers", ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["holderIdentity"] = "node-1_4242",
                ["leaseDurationSeconds"] = 15,
                ["renewTime"] = KubeTime.FormatMicro(DateTimeOffset.UtcNow),
            },
        });
        var with = await WeirRun.RunAsync(_flux.Kubeconfig, "check", "-n", ns);
        Assert.Equal(0, with.Code);
        Assert.Matches(@"✔ weir-controllers: leader node-1_4242 \(renewed \d+s ago\)\n", with.Err);
        Assert.EndsWith("✔ all checks passed\n", with.Err);

        var pre = await WeirRun.RunAsync(_flux.Kubeconfig, "check", "--pre");
        Assert.Equal("► checking prerequisites\n✔ Kubernetes 1.37.0 >=1.28.0-0\n✔ prerequisites checks passed\n✔ all checks passed\n", pre.Err);
    }

    [Fact]
    public async Task VersionPrintsClientAndServer()
    {
        var version = Weir.Core.WeirVersion.Current;
        var client = await WeirRun.RunAsync("/nonexistent/kubeconfig", "version", "--client");
        Assert.Equal(0, client.Code);
        Assert.Equal($"weir: {version}\n", client.Out);

        var both = await WeirRun.RunAsync(_flux.Kubeconfig, "version");
        Assert.Equal($"weir: {version}\nkubernetes: v1.37.0\n", both.Out);

        var json = JsonNode.Parse((await WeirRun.RunAsync(_flux.Kubeconfig, "version", "-o", "json")).Out)!;
        Assert.Equal("v1.37.0", json["kubernetes"]!.GetValue<string>());

        var unreachable = await WeirRun.RunAsync("/nonexistent/kubeconfig", "version");
        Assert.Equal(1, unreachable.Code);
        Assert.StartsWith("✗ ", unreachable.Err);
    }
}
