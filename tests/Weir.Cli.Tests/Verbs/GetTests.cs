using System.Text.Json.Nodes;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

public sealed class GetTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>
{
    private static readonly string[] Columns = ["NAME", "REVISION", "SUSPENDED", "READY", "MESSAGE", "LAST RECONCILED"];
    private readonly FluxObjects _flux = new(cluster);

    [Fact]
    public async Task SourcesTableHasFluxColumnsTruncatedHexAndLastReconciled()
    {
        var ns = await _flux.NamespaceAsync("get-oci");
        await _flux.OciRepositoryAsync(ns, "my-app");
        await _flux.SourceReadyAsync(ns, "my-app", "v1.2.0", 'a', DateTimeOffset.UtcNow.AddMinutes(-15));
        await _flux.OciRepositoryAsync(ns, "new-app");
        await _flux.OciRepositoryAsync(ns, "paused", suspend: true);
        await _flux.SourceFailedAsync(ns, "paused", "failed to pull artifact: GET https://registry.example: 401 Unauthorized");

        var result = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "sources", "oci", "-n", ns);

        Assert.Equal(0, result.Code);
        Assert.Equal("", result.Err);
        var rows = FluxTableAssert.Parse(result.Out, Columns);
        Assert.Equal(["my-app", "new-app", "paused"], rows.Select(r => r[0]));
        Assert.Equal(["my-app", "v1.2.0@sha256:aaaaaaaa", "False", "True", "stored artifact for digest 'v1.2.0@sha256:aaaaaaaa'", "15m ago"], rows[0]);
        Assert.Equal(["new-app", "", "False", "False", "waiting to be reconciled", "-"], rows[1]);
        Assert.Equal("True", rows[2][2]);
        Assert.Equal("failed to pull artifact: GET https://registry.example: 401 Unauthorized", rows[2][4]);
        Assert.Matches(@"^\d+s ago$", rows[2][5]);
        Assert.DoesNotContain('\u001b', result.Out);
    }

    [Fact]
    public async Task AllNamespacesPutsNamespaceFirstAndFiltersWork()
    {
        var a = await _flux.NamespaceAsync("get-all-a");
        var b = await _flux.NamespaceAsync("get-all-b");
        await _flux.OciRepositoryAsync(a, "app", labels: new Dictionary<string, string> { ["team"] = "blue" });
        await _flux.SourceReadyAsync(a, "app", "v1.0.0", 'b');
        await _flux.OciRepositoryAsync(b, "app", labels: new Dictionary<string, string> { ["team"] = "red" });
        await _flux.SourceFailedAsync(b, "app", "no match for semver '>=3.0.0'");

        var all = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "sources", "oci", "-A");
        var rows = FluxTableAssert.Parse(all.Out, ["NAMESPACE", .. Columns]).Where(r => r[0].StartsWith("get-all-", StringComparison.Ordinal)).ToList();
        Assert.Equal([a, b], rows.Select(r => r[0]));

        var failing = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "sources", "oci", "-A", "--status-selector", "ready=false");
        Assert.Contains(FluxTableAssert.Parse(failing.Out, ["NAMESPACE", .. Columns]), r => r[0] == b);
        Assert.DoesNotContain(FluxTableAssert.Parse(failing.Out, ["NAMESPACE", .. Columns]), r => r[0] == a);

        var notTrue = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "sources", "oci", "-n", a, "--status-selector", "ready!=true");
        // As flux: objects exist, none pass the selector → only the header.
        Assert.Equal(0, notTrue.Code);
        Assert.Empty(FluxTableAssert.Parse(notTrue.Out, Columns));

        var labelled = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "sources", "oci", "-A", "-l", "team=red", "--no-header");
        Assert.Equal(0, labelled.Code);
        var line = Assert.Single(labelled.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"{b}\tapp\t", line);
    }

    [Fact]
    public async Task EmptyAndMissingObjectsFailWithFluxMessages()
    {
        var ns = await _flux.NamespaceAsync("get-empty");
        var empty = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "ks", "-n", ns);
        Assert.Equal(1, empty.Code);
        Assert.Equal("", empty.Out);
        Assert.Equal($"✗ no Kustomization objects found in \"{ns}\" namespace\n", empty.Err);

        var missing = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "helmreleases", "podinfo", "-n", ns);
        Assert.Equal(1, missing.Code);
        Assert.Equal($"✗ HelmRelease object 'podinfo' not found in \"{ns}\" namespace\n", missing.Err);

        var anyNs = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "sources", "bucket", "nope", "-A");
        Assert.Equal("✗ Bucket object 'nope' not found in any namespace\n", anyNs.Err);

        var all = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "all", "-n", ns);
        Assert.Equal(0, all.Code);
        Assert.Equal("", all.Out);
    }

    [Fact]
    public async Task GetAllPrintsOneTablePerKindWithKindPrefixedNames()
    {
        var ns = await _flux.NamespaceAsync("get-everything");
        await _flux.OciRepositoryAsync(ns, "podinfo");
        await _flux.SourceReadyAsync(ns, "podinfo", "6.5.0", 'c');
        await _flux.KustomizationAsync(ns, "apps", "podinfo");
        await _flux.AppliedAsync(ns, "apps", "6.5.0@" + FluxObjects.Digest('c'));
        await _flux.HelmReleaseAsync(ns, "podinfo", "podinfo");
        await _flux.ReleasedAsync(ns, "podinfo", "6.5.0");

        var result = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "all", "-n", ns);

        Assert.Equal(0, result.Code);
        var tables = result.Out.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, tables.Length);
        var oci = FluxTableAssert.Parse(tables[0] + "\n", Columns);
        Assert.Equal("ocirepository/podinfo", Assert.Single(oci)[0]);
        var hr = Assert.Single(FluxTableAssert.Parse(tables[1] + "\n", Columns));
        Assert.Equal(["helmrelease/podinfo", "6.5.0", "False", "True"], hr[..4]);
        var ks = Assert.Single(FluxTableAssert.Parse(tables[2] + "\n", Columns));
        Assert.Equal(["kustomization/apps", "6.5.0@sha256:cccccccc", "False", "True", "Applied revision: 6.5.0@sha256:cccccccc"], ks[..5]);
    }

    [Fact]
    public async Task JsonAndYamlOutputCarryTheSameSummary()
    {
        var ns = await _flux.NamespaceAsync("get-json");
        await _flux.OciRepositoryAsync(ns, "my-app");
        await _flux.KustomizationAsync(ns, "apps", "my-app");
        await _flux.BuildFailedAsync(ns, "apps", "v1.0.0@" + FluxObjects.Digest('d'), "v1.1.0@" + FluxObjects.Digest('e'),
            "kustomize build failed: accumulating resources: missing.yaml: no such file");

        var json = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "ks", "-n", ns, "-o", "json");
        var item = Assert.Single(JsonNode.Parse(json.Out)!.AsArray())!;
        Assert.Equal("Kustomization", item["kind"]!.GetValue<string>());
        Assert.Equal("v1.0.0@" + FluxObjects.Digest('d'), item["revision"]!.GetValue<string>());
        Assert.Equal("False", item["ready"]!.GetValue<string>());
        Assert.StartsWith("kustomize build failed", item["message"]!.GetValue<string>());
        Assert.False(item["suspended"]!.GetValue<bool>());
        Assert.NotNull(item["lastReconciled"]);

        var yaml = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "ks", "-n", ns, "-o", "yaml");
        Assert.Contains("- kind: Kustomization\n", yaml.Out);
        Assert.Contains("  ready: \"False\"\n", yaml.Out);

        var bad = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "ks", "-n", ns, "-o", "wide");
        Assert.Equal(2, bad.Code);
    }

    [Fact]
    public async Task UsageErrorsExitTwo()
    {
        var selector = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "sources", "oci", "--status-selector", "ready");
        Assert.Equal(2, selector.Code);
        Assert.Equal("✗ expected status selector in type=status or type!=status format, but found: ready\n", selector.Err);

        var unknown = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "widgets");
        Assert.Equal(2, unknown.Code);

        var watchAll = await WeirRun.RunAsync(_flux.Kubeconfig, "get", "all", "--watch");
        Assert.Equal(2, watchAll.Code);
        Assert.Equal("✗ expected a single resource type, but found all\n", watchAll.Err);
    }

    [Fact]
    public async Task WatchAppendsARowPerChangeWhenNotATerminal()
    {
        var ns = await _flux.NamespaceAsync("get-watch");
        await _flux.OciRepositoryAsync(ns, "my-app");
        using var process = WeirRun.Start(_flux.Kubeconfig, null, "get", "sources", "oci", "-n", ns, "--watch", "--timeout", "30s");
        var reader = new LineReader(process.StandardOutput);
        Assert.StartsWith("NAME", await reader.NextAsync());
        Assert.Contains("waiting to be reconciled", await reader.NextAsync());

        await _flux.SourceReadyAsync(ns, "my-app", "v2.0.0", 'f');
        var row = await reader.NextAsync(l => l.Contains("v2.0.0"));
        Assert.Matches(@"^my-app\tv2\.0\.0@sha256:ffffffff\tFalse\tTrue\tstored artifact for digest 'v2\.0\.0@sha256:ffffffff'\t\d+s ago\t$", row);
        process.Kill();
    }

    [Fact]
    public async Task WatchRedrawsTheTableInPlaceOnATerminal()
    {
        var ns = await _flux.NamespaceAsync("get-redraw");
        await _flux.OciRepositoryAsync(ns, "my-app");
        using var process = WeirRun.Start(_flux.Kubeconfig, new Dictionary<string, string> { ["WEIR_TTY"] = "1", ["NO_COLOR"] = "1" },
            "get", "sources", "oci", "-n", ns, "-w", "--timeout", "30s");
        var reader = new LineReader(process.StandardOutput);
        Assert.EndsWith("NAME  \tREVISION\tSUSPENDED\tREADY\tMESSAGE                 \tLAST RECONCILED ", await reader.NextAsync());
        Assert.Contains("waiting to be reconciled", await reader.NextAsync());

        await _flux.SourceReadyAsync(ns, "my-app", "v2.0.0", 'f');
        // Two lines up, clear to the end of the screen, then the whole table again with the new state.
        var header = await reader.NextAsync(l => l.StartsWith("\u001b[2F\u001b[J", StringComparison.Ordinal));
        var message = "stored artifact for digest 'v2.0.0@sha256:ffffffff'";
        Assert.Equal($"\u001b[2F\u001b[JNAME  \tREVISION              \tSUSPENDED\tREADY\t{"MESSAGE".PadRight(message.Length)}\tLAST RECONCILED ", header);
        Assert.StartsWith("my-app\tv2.0.0@sha256:ffffffff\tFalse    \tTrue \t", await reader.NextAsync());
        process.Kill();
    }
}
