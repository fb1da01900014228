using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Weir.Helm.Charts;
using Weir.Helm.Registry;
using Weir.Oci.Distribution;
using Weir.Runtime.Kube;
using Weir.Sources.Tests.HelmRepositories;
using Weir.Sources.Tests.OciRepositories;
using Weir.Testing;
using static Weir.Sources.Tests.HelmRepositories.HelmSources;

namespace Weir.Sources.Tests.HelmCharts;

/// <summary>
/// HelmCharts from a GitRepository whose chart declares dependencies not in <c>charts/</c>: they are downloaded from a
/// real chart repository (nginx, basic auth) and a real registry (docker-registry) with the credentials of the
/// HelmRepository of the same URL, or taken from the same artifact, and packaged into the chart.
/// </summary>
public sealed class HelmChartDependencyTests(SourceControllerHarness harness, GitServerFixture git, ChartRepositoryServer charts, DockerRegistryFixture registry)
    : IClassFixture<SourceControllerHarness>, IClassFixture<GitServerFixture>, IClassFixture<ChartRepositoryServer>, IClassFixture<DockerRegistryFixture>
{
    private static string Template(string name) => $"{name}: {{{{ .Chart.Name }}}}-{{{{ .Chart.Version }}}}\n";

    [Fact]
    public async Task DependenciesOverHttpAndOciArePackagedIntoTheChart()
    {
        foreach (var version in new[] { "1.0.0", "1.0.3", "1.1.0" })
        {
            charts.Publish("hc-deps", TestCharts.Package("web", version, new Dictionary<string, string> { ["templates/configmap.yaml"] = Template("web") }));
        }

        var oci = $"oci://{registry.Host}/hc-deps";
        await new ChartRegistryClient(new RegistryClientOptions { Insecure = true }).PushAsync(OciReference.Parse(oci),
            TestCharts.Package("cache", "2.1.0", new Dictionary<string, string> { ["templates/configmap.yaml"] = Template("cache") }));
        // The private index needs the credentials of the HelmRepository with its URL; the registry needs its 'insecure'.
        await harness.CreateSecretAsync("hc-deps-auth", new Dictionary<string, string> { ["username"] = charts.Username, ["password"] = charts.Password });
        await harness.CreateHelmRepositoryAsync("hc-deps-web", charts.PrivateUrl("hc-deps"), new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "hc-deps-auth" } });
        await harness.CreateHelmRepositoryAsync("hc-deps-oci", oci + "/", new JsonObject { ["type"] = "oci", ["insecure"] = true });

        var repo = await git.CreateRepositoryAsync("hc-deps");
        await repo.CommitAsync(new Dictionary<string, string?>
        {
            ["charts/app/Chart.yaml"] = $"""
                apiVersion: v2
                name: app
                version: 0.3.0
                dependencies:
                - name: web
                  version: ~1.0
                  repository: {charts.PrivateUrl("hc-deps")}
                - name: cache
                  version: 2.x
                  repository: {oci}
                - name: lib
                  alias: shared
                  version: 0.1.0
                  repository: file://../lib
                """,
            ["charts/app/templates/cm.yaml"] = Template("app"),
            ["charts/lib/Chart.yaml"] = "apiVersion: v2\nname: lib\nversion: 0.1.0\n",
            ["charts/lib/templates/cm.yaml"] = Template("lib"),
        }, "chart with dependencies");
        await harness.CreateGitRepositoryAsync("hc-deps", git.AnonymousUrl("hc-deps"));
        await harness.CreateHelmChartAsync("hc-deps", "charts/app", "hc-deps", sourceKind: "GitRepository");

        var ready = await harness.WaitForChartAsync("hc-deps", IsTrue);
        Assert.Equal("packaged 'app' chart with version '0.3.0'", Message(ready));
        var archive = await DownloadAsync((await harness.GetAsync("hc-deps", KubeResource.HelmChart))["status"]!["artifact"]!);
        var entries = Entries(archive);
        Assert.Contains("app/charts/web/Chart.yaml", entries);
        Assert.Contains("app/charts/cache/Chart.yaml", entries);
        Assert.Contains("app/charts/shared/Chart.yaml", entries);
        var chart = new ChartLoader().LoadArchive(new MemoryStream(archive));
        Assert.Equal(["cache 2.1.0", "shared 0.1.0", "web 1.0.3"], chart.Dependencies.Select(d => $"{d.Name} {d.Metadata.Version}").Order(StringComparer.Ordinal));
        Assert.Contains("200 GET /private/hc-deps/web-1.0.3.tgz", charts.Requests());

        var output = TestCharts.Render(chart);
        Assert.Contains("app: app-0.3.0", output, StringComparison.Ordinal);
        Assert.Contains("web: web-1.0.3", output, StringComparison.Ordinal);
        Assert.Contains("cache: cache-2.1.0", output, StringComparison.Ordinal);
        Assert.Contains("lib: shared-0.1.0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADependencyThatCannotBeBuiltEndsReadyFalseNamingTheCause()
    {
        charts.Publish("hc-deps-bad", TestCharts.Package("web", "1.0.0"));
        var closed = $"http://127.0.0.1:{TestEnv.FreePort()}/charts";
        var locked = charts.PrivateUrl("hc-deps-locked");
        await harness.CreateHelmRepositoryAsync("hc-deps-locked", locked, new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "hc-deps-absent" } });
        string App(string dependency) => $"apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n{dependency}";
        var repo = await git.CreateRepositoryAsync("hc-deps-bad");
        await repo.CommitAsync(new Dictionary<string, string?>
        {
            ["missing/Chart.yaml"] = App($"- name: web\n  version: 9.9.9\n  repository: {charts.PublicUrl("hc-deps-bad")}\n"),
            ["unreachable/Chart.yaml"] = App($"- name: web\n  version: 1.0.0\n  repository: {closed}\n"),
            ["unauthorized/Chart.yaml"] = App($"- name: web\n  version: 1.0.0\n  repository: {charts.PrivateUrl("hc-deps-bad")}\n"),
            ["escape/Chart.yaml"] = App("- name: etc\n  version: '*'\n  repository: file://../../etc\n"),
            ["nosecret/Chart.yaml"] = App($"- name: web\n  version: 1.0.0\n  repository: {locked}\n"),
        }, "broken dependencies");
        await harness.CreateGitRepositoryAsync("hc-deps-bad", git.AnonymousUrl("hc-deps-bad"));
        foreach (var name in new[] { "missing", "unreachable", "unauthorized", "escape", "nosecret" })
        {
            await harness.CreateHelmChartAsync("hc-deps-" + name, name, "hc-deps-bad", sourceKind: "GitRepository");
        }

        Assert.Equal("dependency build error: failed to add remote dependency 'web': failed to get chart 'web' version '9.9.9' from "
            + $"'{charts.PublicUrl("hc-deps-bad")}': no 'web' chart with version matching '9.9.9' found", await FailureAsync("missing"));
        Assert.StartsWith("dependency build error: failed to add remote dependency 'web': failed to get chart 'web' version '1.0.0' from "
            + $"'{closed}': failed to cache index: failed to cache index to temporary file: Get \"{closed}/index.yaml\": Connection refused",
            await FailureAsync("unreachable"));
        Assert.Equal("dependency build error: failed to add remote dependency 'web': failed to get chart 'web' version '1.0.0' from "
            + $"'{charts.PrivateUrl("hc-deps-bad")}': failed to cache index: failed to cache index to temporary file: "
            + $"failed to fetch {charts.PrivateUrl("hc-deps-bad")}/index.yaml : 401 Unauthorized", await FailureAsync("unauthorized"));
        Assert.Equal("dependency build error: failed to add local dependency 'etc': 'file://../../etc' leads outside the source artifact",
            await FailureAsync("escape"));
        // The HelmRepository of the dependency's URL names a Secret that is not there.
        Assert.Equal($"dependency build error: failed to add remote dependency 'web': failed to get chart repository for URL '{locked}/': "
            + "failed to get authentication secret 'flux-system/hc-deps-absent': secrets \"hc-deps-absent\" not found", await FailureAsync("nosecret"));
    }

    private async Task<string> FailureAsync(string name)
    {
        var ready = await harness.WaitForChartAsync("hc-deps-" + name, Failed);
        Assert.Equal("DependencyBuildError", Reason(ready));
        var chart = await harness.GetAsync("hc-deps-" + name, KubeResource.HelmChart);
        Assert.Null(chart["status"]!["artifact"]);
        var buildFailed = chart["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "BuildFailed")!;
        Assert.Equal(Message(ready), Message(buildFailed.AsObject()));
        return Message(ready);
    }

    private static List<string> Entries(byte[] archive)
    {
        using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var names = new List<string>();
        while (tar.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }
}
