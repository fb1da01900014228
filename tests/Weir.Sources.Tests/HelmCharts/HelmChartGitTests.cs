using System.Text;
using System.Text.Json.Nodes;
using Weir.Helm.Charts;
using Weir.Runtime.Kube;
using Weir.Sources.Tests.HelmRepositories;
using Weir.Sources.Tests.OciRepositories;
using Weir.Testing;
using static Weir.Sources.Tests.HelmRepositories.HelmSources;

namespace Weir.Sources.Tests.HelmCharts;

/// <summary>HelmCharts from a path inside a GitRepository's artifact (a real git server), packaged by Weir.Helm.</summary>
public sealed class HelmChartGitTests(SourceControllerHarness harness, GitServerFixture git)
    : IClassFixture<SourceControllerHarness>, IClassFixture<GitServerFixture>
{
    private static readonly KubeResource Chart = KubeResource.HelmChart;

    private static Dictionary<string, string?> ChartFiles(string version, string message) => new()
    {
        ["charts/app/Chart.yaml"] = $"apiVersion: v2\nname: app\nversion: {version}\n",
        ["charts/app/values.yaml"] = $"message: {message}\n",
        ["charts/app/templates/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
        ["env/prod.yaml"] = "message: from-prod\n",
    };

    [Fact]
    public async Task AChartDirectoryIsPackagedAndANewCommitIsAnArtifactOnlyWhenTheVersionChanges()
    {
        var repo = await git.CreateRepositoryAsync("chart-dir");
        await repo.CommitAsync(ChartFiles("0.1.0", "one"), "first");
        await CreateGitRepositoryAsync("chart-dir");
        await harness.CreateHelmChartAsync("git-version", "./charts/app", "chart-dir", sourceKind: "GitRepository");
        await harness.CreateHelmChartAsync("git-values", "charts/app", "chart-dir", sourceKind: "GitRepository",
            extra: new JsonObject { ["valuesFiles"] = new JsonArray("charts/app/values.yaml", "env/prod.yaml") });

        var ready = await harness.WaitForChartAsync("git-version", IsTrue);
        Assert.Equal("packaged 'app' chart with version '0.1.0'", Message(ready));
        Assert.Equal("ChartPackageSucceeded", Reason(ready));
        var status = (await harness.GetAsync("git-version", Chart))["status"]!;
        var gitRevision = (await harness.GetAsync("chart-dir", KubeResource.GitRepository))["status"]!["artifact"]!["revision"]!.GetValue<string>();
        Assert.Equal(gitRevision, status["observedSourceArtifactRevision"]!.GetValue<string>());
        var chart = new ChartLoader().LoadArchive(new MemoryStream(await DownloadAsync(status["artifact"]!)));
        Assert.Equal("0.1.0", chart.Metadata.Version);
        Assert.Equal("message: one\n", Encoding.UTF8.GetString(chart.Raw.Single(f => f.Name == "values.yaml").Data));

        var merged = await harness.WaitForChartAsync("git-values", IsTrue);
        Assert.Equal("packaged 'app' chart with version '0.1.0+1' and merged values files [charts/app/values.yaml env/prod.yaml]", Message(merged));
        var mergedChart = new ChartLoader().LoadArchive(new MemoryStream(await DownloadAsync((await harness.GetAsync("git-values", Chart))["status"]!["artifact"]!)));
        Assert.Equal("message: from-prod\n", Encoding.UTF8.GetString(mergedChart.Raw.Single(f => f.Name == "values.yaml").Data));

        // A commit that leaves the chart version alone: ChartVersion keeps the stored chart.
        var before = status["artifact"]!.ToJsonString();
        var second = await repo.CommitAsync(new Dictionary<string, string?> { ["charts/app/values.yaml"] = "message: two\n" }, "second");
        await harness.RequestReconcileAsync(KubeResource.GitRepository, "chart-dir");
        await WaitForObservedSourceAsync("git-version", second);
        Assert.Equal(before, (await harness.GetAsync("git-version", Chart))["status"]!["artifact"]!.ToJsonString());

        // A new chart version in a new commit is picked up through the GitRepository's watch.
        await repo.CommitAsync(new Dictionary<string, string?> { ["charts/app/Chart.yaml"] = "apiVersion: v2\nname: app\nversion: 0.2.0\n" }, "bump");
        await harness.RequestReconcileAsync(KubeResource.GitRepository, "chart-dir");
        var bumped = await harness.WaitForChartAsync("git-version", c => IsTrue(c) && Message(c).Contains("0.2.0"));
        Assert.Equal("packaged 'app' chart with version '0.2.0'", Message(bumped));
    }

    [Fact]
    public async Task ReconcileStrategyRevisionPutsTheCommitInTheVersion()
    {
        var repo = await git.CreateRepositoryAsync("chart-revision");
        var first = await repo.CommitAsync(ChartFiles("1.0.0", "one"), "first");
        await CreateGitRepositoryAsync("chart-revision");
        await harness.CreateHelmChartAsync("git-revision", "charts/app", "chart-revision", sourceKind: "GitRepository",
            extra: new JsonObject { ["reconcileStrategy"] = "Revision" });
        var ready = await harness.WaitForChartAsync("git-revision", IsTrue);
        Assert.Equal($"packaged 'app' chart with version '1.0.0+{first[..12]}'", Message(ready));

        var second = await repo.CommitAsync(new Dictionary<string, string?> { ["charts/app/values.yaml"] = "message: two\n" }, "second");
        await harness.RequestReconcileAsync(KubeResource.GitRepository, "chart-revision");
        var next = await harness.WaitForChartAsync("git-revision", c => IsTrue(c) && Message(c).Contains(second[..12]));
        Assert.Equal($"packaged 'app' chart with version '1.0.0+{second[..12]}'", Message(next));
        Assert.Equal($"1.0.0+{second[..12]}", (await harness.GetAsync("git-revision", Chart))["status"]!["artifact"]!["revision"]!.GetValue<string>());
    }

    [Fact]
    public async Task AMissingChartPathOrABrokenChartSaysSo()
    {
        var repo = await git.CreateRepositoryAsync("chart-broken");
        await repo.CommitAsync(new Dictionary<string, string?>
        {
            ["charts/bad/Chart.yaml"] = "apiVersion: v2\nname: bad\n",
        }, "first");
        await CreateGitRepositoryAsync("chart-broken");
        await harness.CreateHelmChartAsync("git-nowhere", "charts/nowhere", "chart-broken", sourceKind: "GitRepository");
        await harness.CreateHelmChartAsync("git-bad", "charts/bad", "chart-broken", sourceKind: "GitRepository");

        var nowhere = await harness.WaitForChartAsync("git-nowhere", Failed);
        Assert.Equal("invalid chart reference: stat charts/nowhere: no such file or directory", Message(nowhere));
        var bad = await harness.WaitForChartAsync("git-bad", Failed);
        Assert.Equal("invalid chart reference: validation: chart.metadata.version is required", Message(bad));
    }

    private Task<JsonObject> CreateGitRepositoryAsync(string name) => harness.CreateGitRepositoryAsync(name, git.AnonymousUrl(name));

    private async Task WaitForObservedSourceAsync(string name, string commit)
    {
        for (var i = 0; i < 300; i++)
        {
            var status = (await harness.GetAsync(name, Chart))["status"];
            if (status?["observedSourceArtifactRevision"]?.GetValue<string>()?.EndsWith(commit, StringComparison.Ordinal) == true
                && status["conditions"]?.AsArray().Any(c => c!["type"]!.GetValue<string>() == "Ready" && c["status"]!.GetValue<string>() == "True") == true)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{name} did not see commit {commit}");
    }
}

/// <summary><c>kubectl get helmrepository,helmchart</c> prints Flux's columns (from the CRD catalog).</summary>
public sealed class HelmSourcesKubectlTests(SourceControllerHarness harness, ChartRepositoryServer charts)
    : IClassFixture<SourceControllerHarness>, IClassFixture<ChartRepositoryServer>
{
    [Fact]
    public async Task KubectlGetShowsFluxColumns()
    {
        charts.Publish("kubectl", TestCharts.Package("podinfo", "6.5.3"));
        await harness.CreateHelmRepositoryAsync("podinfo", charts.PublicUrl("kubectl"));
        await harness.CreateHelmChartAsync("flux-system-podinfo", "podinfo", "podinfo", "6.5.*");
        await harness.WaitForChartAsync("flux-system-podinfo", IsTrue);
        await harness.WaitForRepositoryAsync("podinfo", IsTrue);

        // The default columns are the seeds' (Ready and its message); Flux's URL and chart columns are wide ones in Weir's catalog.
        var plain = await GetAsync();
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+AGE$", plain[0]);
        Assert.Matches(@"^helmrepository\.source\.toolkit\.fluxcd\.io/podinfo\s+True\s+stored artifact: revision 'sha256:[0-9a-f]{64}'\s+\d+s$", plain[1]);
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+AGE$", plain[2]);
        Assert.Matches(@"^helmchart\.source\.toolkit\.fluxcd\.io/flux-system-podinfo\s+True\s+pulled 'podinfo' chart with version '6\.5\.3'\s+\d+s$", plain[3]);

        var wide = await GetAsync("-o", "wide");
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+AGE\s+URL$", wide[0]);
        Assert.EndsWith(" " + charts.PublicUrl("kubectl"), wide[1]);
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+AGE\s+CHART\s+VERSION\s+SOURCE KIND\s+SOURCE NAME$", wide[2]);
        Assert.Matches(@"\s+podinfo\s+6\.5\.\*\s+HelmRepository\s+podinfo$", wide[3]);

        async Task<string[]> GetAsync(params string[] extra)
        {
            var (code, output, error) = await Kubectl.RunAsync(harness.Kubeconfig, 32, ["get", "helmrepository,helmchart", "-n", "flux-system", .. extra]);
            Assert.True(code == 0, error);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToArray();
            Assert.True(lines.Length == 4, output);
            return lines;
        }
    }
}
