using System.Text;
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

/// <summary>HelmCharts from a real chart repository (nginx), with the version selection and packaging Flux does.</summary>
public sealed class HelmChartReconcilerTests(SourceControllerHarness harness, ChartRepositoryServer charts)
    : IClassFixture<SourceControllerHarness>, IClassFixture<ChartRepositoryServer>
{
    private static readonly KubeResource Chart = KubeResource.HelmChart;

    [Fact]
    public async Task SemverRangeExactAndStarPickTheNewestMatchingVersion()
    {
        foreach (var version in new[] { "1.0.0", "1.2.0", "2.0.0", "3.0.0-rc.1" })
        {
            charts.Publish("versions", TestCharts.Package("app", version));
        }

        await harness.CreateHelmRepositoryAsync("versions", charts.PublicUrl("versions"));
        var cases = new (string Name, string? Version, string Expected)[]
        {
            ("range", "^1.0.0", "1.2.0"), ("exact", "1.0.0", "1.0.0"), ("star", "*", "2.0.0"), ("default", null, "2.0.0"),
            ("prerelease", ">=3.0.0-0", "3.0.0-rc.1"),
        };
        foreach (var c in cases)
        {
            await harness.CreateHelmChartAsync($"versions-{c.Name}", "app", "versions", c.Version);
        }

        foreach (var c in cases)
        {
            var ready = await harness.WaitForChartAsync($"versions-{c.Name}", IsTrue);
            Assert.Equal($"pulled 'app' chart with version '{c.Expected}'", Message(ready));
            Assert.Equal("ChartPullSucceeded", Reason(ready));
            var status = (await harness.GetAsync($"versions-{c.Name}", Chart))["status"]!;
            Assert.Equal(c.Expected, status["artifact"]!["revision"]!.GetValue<string>());
            Assert.Equal("app", status["observedChartName"]!.GetValue<string>());
            var pulled = await DownloadAsync(status["artifact"]!);
            Assert.Equal(File.ReadAllBytes(Path.Combine(charts.Root, "versions", $"app-{c.Expected}.tgz")), pulled);
        }
    }

    [Fact]
    public async Task ANewVersionInTheIndexIsPickedUpWhenTheRepositoryStoresIt()
    {
        charts.Publish("moving", TestCharts.Package("app", "1.0.0"));
        await harness.CreateHelmRepositoryAsync("moving", charts.PublicUrl("moving"));
        await harness.CreateHelmChartAsync("moving", "app", "moving", ">=1.0.0");
        await harness.CreateHelmChartAsync("moving-pinned", "app", "moving", "1.0.0");
        await harness.WaitForChartAsync("moving", c => IsTrue(c) && Message(c).Contains("'1.0.0'"));
        await harness.WaitForChartAsync("moving-pinned", IsTrue);
        var pinned = (await harness.GetAsync("moving-pinned", Chart))["status"]!["artifact"]!.ToJsonString();

        charts.Publish("moving", TestCharts.Package("app", "1.1.0"));
        await harness.RequestReconcileAsync("moving", KubeResource.HelmRepository);
        var upgraded = await harness.WaitForChartAsync("moving", c => IsTrue(c) && Message(c).Contains("'1.1.0'"));
        Assert.Equal("pulled 'app' chart with version '1.1.0'", Message(upgraded));
        Assert.Equal(pinned, (await harness.GetAsync("moving-pinned", Chart))["status"]!["artifact"]!.ToJsonString());
    }

    [Fact]
    public async Task AVersionThatDoesNotExistAndAMissingSourceSayWhatIsWrong()
    {
        charts.Publish("missing", TestCharts.Package("x", "1.0.0"));
        await harness.CreateHelmRepositoryAsync("missing", charts.PublicUrl("missing"));
        await harness.CreateHelmChartAsync("missing-version", "x", "missing", "9.9.9");
        var missing = await harness.WaitForChartAsync("missing-version", Failed);
        Assert.Equal("invalid chart reference: failed to get chart version for remote reference: no 'x' chart with version matching '9.9.9' found",
            Message(missing));
        Assert.Equal("InvalidChartReference", Reason(missing));

        await harness.CreateHelmChartAsync("missing-chart", "nope", "missing");
        var noChart = await harness.WaitForChartAsync("missing-chart", Failed);
        Assert.Equal("invalid chart reference: failed to get chart version for remote reference: no chart name found", Message(noChart));

        await harness.CreateHelmChartAsync("missing-source", "x", "no-such-repository");
        var noSource = await harness.WaitForChartAsync("missing-source", Failed);
        Assert.Equal("failed to get source: helmrepositories.source.toolkit.fluxcd.io \"no-such-repository\" not found", Message(noSource));
        Assert.Equal("SourceUnavailable", Reason(noSource));

        // The version appears: the repository's new index requeues the chart, which recovers.
        charts.Publish("missing", TestCharts.Package("x", "9.9.9"));
        await harness.RequestReconcileAsync("missing", KubeResource.HelmRepository);
        var found = await harness.WaitForChartAsync("missing-version", IsTrue);
        Assert.Equal("pulled 'x' chart with version '9.9.9'", Message(found));
    }

    [Fact]
    public async Task ValuesFilesAreMergedIntoThePackagedChart()
    {
        charts.Publish("values", TestCharts.Package("app", "1.0.0", new Dictionary<string, string>
        {
            ["values-prod.yaml"] = "replicas: 3\nextra:\n  tier: prod\n",
        }));
        await harness.CreateHelmRepositoryAsync("values", charts.PublicUrl("values"));
        await harness.CreateHelmChartAsync("values", "app", "values", extra: new JsonObject
        {
            ["valuesFiles"] = new JsonArray("values.yaml", "values-prod.yaml"),
        });
        var ready = await harness.WaitForChartAsync("values", IsTrue);
        Assert.Equal("packaged 'app' chart with version '1.0.0+1' and merged values files [values.yaml values-prod.yaml]", Message(ready));
        Assert.Equal("ChartPackageSucceeded", Reason(ready));
        var status = (await harness.GetAsync("values", Chart))["status"]!;
        Assert.Equal("1.0.0+1", status["artifact"]!["revision"]!.GetValue<string>());
        Assert.Equal("""["values.yaml","values-prod.yaml"]""", status["observedValuesFiles"]!.ToJsonString());
        var chart = new ChartLoader().LoadArchive(new MemoryStream(await DownloadAsync(status["artifact"]!)));
        Assert.Equal("1.0.0+1", chart.Metadata.Version);
        var values = Encoding.UTF8.GetString(chart.Raw.Single(f => f.Name == "values.yaml").Data);
        Assert.Equal("extra:\n  tier: prod\nmessage: hello\nreplicas: 3\n", values);

        await harness.CreateHelmChartAsync("values-missing", "app", "values", extra: new JsonObject { ["valuesFiles"] = new JsonArray("values-nope.yaml") });
        var missing = await harness.WaitForChartAsync("values-missing", Failed);
        Assert.Equal("values files merge error: failed to merge chart values: no values file found at path 'values-nope.yaml'", Message(missing));
        Assert.Equal("ValuesFilesError", Reason(missing));

        await harness.CreateHelmChartAsync("values-ignored", "app", "values", extra: new JsonObject
        {
            ["valuesFiles"] = new JsonArray("values-nope.yaml", "values-prod.yaml"),
            ["ignoreMissingValuesFiles"] = true,
        });
        var ignored = await harness.WaitForChartAsync("values-ignored", IsTrue);
        Assert.Equal("packaged 'app' chart with version '1.0.0+1' and merged values files [values-prod.yaml]", Message(ignored));
    }

    [Fact]
    public async Task AHostileChartArchiveEndsReadyFalse()
    {
        var traversal = RawArtifacts.TarGz(tar =>
        {
            Add(tar, "evil/Chart.yaml", "apiVersion: v2\nname: evil\nversion: 1.0.0\n");
            Add(tar, "evil/../../escape.yaml", "x: 1\n");
        });
        var bomb = RawArtifacts.TarGz(tar =>
        {
            Add(tar, "bomb/Chart.yaml", "apiVersion: v2\nname: bomb\nversion: 1.0.0\n");
            Add(tar, "bomb/templates/big.yaml", new string('a', 6 * 1024 * 1024));
        });
        Directory.CreateDirectory(Path.Combine(charts.Root, "hostile"));
        File.WriteAllBytes(Path.Combine(charts.Root, "hostile", "evil-1.0.0.tgz"), traversal);
        File.WriteAllBytes(Path.Combine(charts.Root, "hostile", "bomb-1.0.0.tgz"), bomb);
        charts.WriteIndex("hostile", """
            apiVersion: v1
            entries:
              evil: [{apiVersion: v2, name: evil, version: 1.0.0, urls: [evil-1.0.0.tgz]}]
              bomb: [{apiVersion: v2, name: bomb, version: 1.0.0, urls: [bomb-1.0.0.tgz]}]
            """);
        await harness.CreateHelmRepositoryAsync("hostile", charts.PublicUrl("hostile"));
        await harness.CreateHelmChartAsync("hostile-traversal", "evil", "hostile");
        await harness.CreateHelmChartAsync("hostile-bomb", "bomb", "hostile");

        var evil = await harness.WaitForChartAsync("hostile-traversal", Failed);
        Assert.StartsWith("chart package error: failed to load downloaded chart: ", Message(evil));
        Assert.Null((await harness.GetAsync("hostile-traversal", Chart))["status"]!["artifact"]);
        var large = await harness.WaitForChartAsync("hostile-bomb", Failed);
        Assert.StartsWith("chart package error: failed to load downloaded chart: ", Message(large));
        Assert.Null((await harness.GetAsync("hostile-bomb", Chart))["status"]!["artifact"]);
    }

    [Fact]
    public async Task ChartsAreDownloadedWithTheRepositoryCredentials()
    {
        charts.Publish("private-charts", TestCharts.Package("app", "2.0.0"));
        await harness.CreateSecretAsync("chart-auth", new Dictionary<string, string> { ["username"] = charts.Username, ["password"] = charts.Password });
        await harness.CreateHelmRepositoryAsync("private-charts", charts.PrivateUrl("private-charts"), new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "chart-auth" } });
        await harness.CreateHelmChartAsync("private-charts", "app", "private-charts");
        var ready = await harness.WaitForChartAsync("private-charts", IsTrue);
        Assert.Equal("pulled 'app' chart with version '2.0.0'", Message(ready));
        Assert.Contains("200 GET /private/private-charts/app-2.0.0.tgz", charts.Requests());
    }

    [Fact]
    public async Task CredentialsGoToAnotherHostOnlyWithPassCredentials()
    {
        // The index names the chart on another host (localhost rather than 127.0.0.1: the same nginx, another name).
        charts.Publish("elsewhere", TestCharts.Package("app", "1.0.0"));
        charts.WriteIndex("elsewhere", $"""
            apiVersion: v1
            entries:
              app: [{"{"}apiVersion: v2, name: app, version: 1.0.0, urls: ["http://localhost:{charts.HttpPort}/private/elsewhere/app-1.0.0.tgz"]{"}"}]
            """);
        await harness.CreateSecretAsync("elsewhere-auth", new Dictionary<string, string> { ["username"] = charts.Username, ["password"] = charts.Password });
        var secretRef = new JsonObject { ["name"] = "elsewhere-auth" };
        await harness.CreateHelmRepositoryAsync("elsewhere", charts.PrivateUrl("elsewhere"), new JsonObject { ["secretRef"] = secretRef });
        await harness.CreateHelmRepositoryAsync("elsewhere-pass", charts.PrivateUrl("elsewhere"),
            new JsonObject { ["secretRef"] = secretRef.DeepClone(), ["passCredentials"] = true });
        await harness.CreateHelmChartAsync("elsewhere", "app", "elsewhere");
        await harness.CreateHelmChartAsync("elsewhere-pass", "app", "elsewhere-pass");

        var kept = await harness.WaitForChartAsync("elsewhere", Failed);
        Assert.Equal("failed to authenticate with the Helm repository: chart pull error: failed to download chart for remote reference: "
            + $"failed to fetch http://localhost:{charts.HttpPort}/private/elsewhere/app-1.0.0.tgz : 401 Unauthorized", Message(kept));
        Assert.Equal("AuthenticationFailed", Reason(kept));
        var passed = await harness.WaitForChartAsync("elsewhere-pass", IsTrue);
        Assert.Equal("pulled 'app' chart with version '1.0.0'", Message(passed));
    }

    private static void Add(System.Formats.Tar.TarWriter tar, string name, string content)
    {
        var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
        };
        tar.WriteEntry(entry);
    }
}

/// <summary>HelmCharts from an OCI HelmRepository: the chart repository's tags, the chart layer pulled from the registry.</summary>
public sealed class HelmChartOciTests(SourceControllerHarness harness, DockerRegistryFixture registry)
    : IClassFixture<SourceControllerHarness>, IClassFixture<DockerRegistryFixture>
{
    [Fact]
    public async Task TheNewestMatchingTagIsPulled()
    {
        var client = new ChartRegistryClient(new RegistryClientOptions { Insecure = true });
        var repository = OciReference.Parse($"oci://{registry.Host}/charts");
        foreach (var version in new[] { "1.0.0", "1.1.0", "2.0.0" })
        {
            await client.PushAsync(repository, TestCharts.Package("podinfo", version));
        }

        await harness.CreateHelmRepositoryAsync("oci-charts", $"oci://{registry.Host}/charts", new JsonObject { ["type"] = "oci", ["insecure"] = true });
        await harness.CreateHelmChartAsync("oci-range", "podinfo", "oci-charts", "~1.0");
        await harness.CreateHelmChartAsync("oci-latest", "podinfo", "oci-charts");
        await harness.CreateHelmChartAsync("oci-missing", "podinfo", "oci-charts", ">=5.0.0");

        var range = await harness.WaitForChartAsync("oci-range", IsTrue);
        Assert.Equal("pulled 'podinfo' chart with version '1.0.0'", Message(range));
        var latest = await harness.WaitForChartAsync("oci-latest", IsTrue);
        Assert.Equal("pulled 'podinfo' chart with version '2.0.0'", Message(latest));
        var artifact = (await harness.GetAsync("oci-latest", KubeResource.HelmChart))["status"]!["artifact"]!;
        var pushed = await client.PullAsync(OciReference.Parse($"oci://{registry.Host}/charts/podinfo:2.0.0"));
        Assert.Equal(pushed.Archive, await DownloadAsync(artifact));
        var missing = await harness.WaitForChartAsync("oci-missing", Failed);
        Assert.Equal("chart pull error: failed to get chart version for remote reference: could not locate a version matching provided version string >=5.0.0",
            Message(missing));
    }
}
