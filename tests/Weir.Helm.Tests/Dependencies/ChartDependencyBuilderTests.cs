using System.Formats.Tar;
using System.Text;
using Weir.Helm.Charts;
using Weir.Helm.Dependencies;
using Weir.Helm.Registry;
using Weir.Helm.Repositories;
using Weir.Helm.Values;
using Weir.Oci.Distribution;

namespace Weir.Helm.Tests.Dependencies;

/// <summary>
/// Chart dependencies missing from <c>charts/</c>, added from a real chart repository (nginx), a real registry
/// (docker-registry) and directories beside the chart, and the errors that name the dependency and the cause.
/// </summary>
public sealed class ChartDependencyBuilderTests(ChartRepositoryServer charts, DockerRegistryFixture registry)
    : IClassFixture<ChartRepositoryServer>, IClassFixture<DockerRegistryFixture>, IDisposable
{
    private static readonly RegistryClientOptions Insecure = new() { Insecure = true, MaxRetries = 0 };

    private readonly string _work = TestEnv.TempDir("weir-deps-");
    private readonly List<string> _resolved = [];

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task MissingDependenciesComeFromAnIndexARegistryAndADirectoryBesideTheChart()
    {
        foreach (var version in new[] { "1.0.0", "1.0.5", "1.1.0" })
        {
            charts.Publish("deps-web", TestCharts.Package("web", version, Template("web")));
        }

        var oci = $"oci://{registry.Host}/deps";
        foreach (var version in new[] { "2.0.0", "2.1.0", "3.0.0" })
        {
            await new ChartRegistryClient(Insecure).PushAsync(OciReference.Parse(oci), TestCharts.Package("cache", version, Template("cache")));
        }

        Write("src/charts/lib/Chart.yaml", "apiVersion: v2\nname: lib\nversion: 0.1.0\n");
        Write("src/charts/lib/templates/cm.yaml", "lib: {{ .Chart.Name }}-{{ .Chart.Version }}\n");
        var chart = WriteApp($"""
            - name: web
              version: "~1.0"
              repository: {charts.PublicUrl("deps-web")}
            - name: web
              alias: admin
              version: 1.1.0
              repository: {charts.PublicUrl("deps-web")}/
            - name: cache
              version: 2.x
              repository: {oci}
            - name: lib
              version: 0.1.0
              repository: file://../lib
            """);

        var added = await BuildAsync(chart);

        Assert.Equal(4, added);
        Assert.Equal(["web 1.0.5", "admin 1.1.0", "cache 2.1.0", "lib 0.1.0"], chart.Dependencies.Select(d => $"{d.Name} {d.Metadata.Version}"));
        // One repository per URL for the whole build (trailing slashes do not make another), one index download.
        Assert.Equal([charts.PublicUrl("deps-web") + "/", oci], _resolved);
        Assert.Single(charts.Requests(), r => r == "200 GET /public/deps-web/index.yaml");

        // The packaged chart carries them under charts/, and renders them as Helm does (the alias as the subchart's name).
        using var packaged = new MemoryStream();
        ChartPackager.Write(chart, packaged);
        var loaded = new ChartLoader().LoadArchive(new MemoryStream(packaged.ToArray()));
        Assert.Equal(["admin", "cache", "lib", "web"], loaded.Dependencies.Select(d => d.Name).Order(StringComparer.Ordinal));
        var output = TestCharts.Render(loaded);
        Assert.Contains("web: web-1.0.5", output, StringComparison.Ordinal);
        Assert.Contains("web: admin-1.1.0", output, StringComparison.Ordinal);
        Assert.Contains("cache: cache-2.1.0", output, StringComparison.Ordinal);
        Assert.Contains("lib: lib-0.1.0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChartLockPinsTheVersionsAndVendoredChartsAreNotDownloaded()
    {
        foreach (var version in new[] { "1.0.0", "1.2.0" })
        {
            charts.Publish("deps-lock", TestCharts.Package("web", version));
        }

        charts.Publish("deps-lock", TestCharts.Package("vendored", "5.0.0"));
        var url = charts.PublicUrl("deps-lock");
        var chart = WriteApp($"""
            - name: web
              version: ^1.0.0
              repository: {url}
            - name: vendored
              version: 5.0.0
              repository: {url}
            """,
            $"dependencies:\n- name: web\n  repository: {url}\n  version: 1.0.0\n- name: vendored\n  repository: {url}\n  version: 5.0.0\n"
            + "digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\ngenerated: \"2026-12-05T00:00:00Z\"\n",
            vendored: true);

        var added = await BuildAsync(chart);

        Assert.Equal(1, added);
        Assert.Equal(["vendored 5.0.0", "web 1.0.0"], chart.Dependencies.Select(d => $"{d.Name} {d.Metadata.Version}").Order(StringComparer.Ordinal));
        Assert.DoesNotContain(charts.Requests(), r => r.Contains("vendored-5.0.0.tgz", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EachFailureNamesTheDependencyAndTheCause()
    {
        charts.Publish("deps-errors", TestCharts.Package("web", "1.0.0"));
        var url = charts.PublicUrl("deps-errors");
        var closed = $"http://127.0.0.1:{TestEnv.FreePort()}/charts";
        Write("src/lib/Chart.yaml", "apiVersion: v2\nname: lib\nversion: 0.1.0\n");
        Write("outside/Chart.yaml", "apiVersion: v2\nname: outside\nversion: 0.1.0\n");
        File.CreateSymbolicLink(Path.Combine(_work, "src", "linked"), Path.Combine(_work, "outside"));

        Assert.Equal($"failed to add remote dependency 'web': failed to get chart 'web' version '9.9.9' from '{url}': no 'web' chart with version matching '9.9.9' found",
            await FailAsync($"- name: web\n  version: 9.9.9\n  repository: {url}\n"));
        Assert.Equal($"failed to add remote dependency 'nope': failed to get chart 'nope' version '1.0.0' from '{url}': no chart name found",
            await FailAsync($"- name: nope\n  version: 1.0.0\n  repository: {url}\n"));
        var unreachable = await FailAsync($"- name: web\n  version: 1.0.0\n  repository: {closed}\n");
        Assert.StartsWith($"failed to add remote dependency 'web': failed to get chart 'web' version '1.0.0' from '{closed}': failed to cache index: "
            + $"failed to cache index to temporary file: Get \"{closed}/index.yaml\": Connection refused", unreachable);
        Assert.Equal("failed to add remote dependency 'web': aliased repository dependency is not supported: @stable/",
            await FailAsync("- name: web\n  version: 1.0.0\n  repository: '@stable'\n"));
        Assert.Equal("failed to add remote dependency 'web': invalid dependency repository URL: alias:stable",
            await FailAsync("- name: web\n  version: 1.0.0\n  repository: alias:stable\n"));
        Assert.Equal("failed to add local dependency 'lib': can't get a valid version for constraint '2.x'",
            await FailAsync("- name: lib\n  version: 2.x\n  repository: file://../../lib\n"));
        Assert.Equal("failed to add local dependency 'gone': no chart found at '/charts/gone' (reference 'file://../gone')",
            await FailAsync("- name: gone\n  version: 0.1.0\n  repository: file://../gone\n"));

        // Nothing outside the source artifact (here: _work/src) is read, by '..' or through a link.
        Assert.Equal("failed to add local dependency 'outside': 'file://../../../outside' leads outside the source artifact",
            await FailAsync("- name: outside\n  version: 0.1.0\n  repository: file://../../../outside\n"));
        Assert.StartsWith("failed to add local dependency 'outside': 'file://../../linked' leads outside the source artifact: ",
            await FailAsync("- name: outside\n  version: 0.1.0\n  repository: file://../../linked\n"));
    }

    [Fact]
    public async Task AHostileDownloadedChartIsRefused()
    {
        var traversal = RawArtifacts.TarGz(tar =>
        {
            Add(tar, "evil/Chart.yaml", "apiVersion: v2\nname: evil\nversion: 1.0.0\n");
            Add(tar, "evil/../../escape.yaml", "x: 1\n");
        });
        Directory.CreateDirectory(Path.Combine(charts.Root, "deps-hostile"));
        File.WriteAllBytes(Path.Combine(charts.Root, "deps-hostile", "evil-1.0.0.tgz"), traversal);
        File.WriteAllBytes(Path.Combine(charts.Root, "deps-hostile", "huge-1.0.0.tgz"), new byte[ChartRepositoryLimits.MaxChartSize + 1]);
        charts.WriteIndex("deps-hostile", """
            apiVersion: v1
            entries:
              evil: [{apiVersion: v2, name: evil, version: 1.0.0, urls: [evil-1.0.0.tgz]}]
              huge: [{apiVersion: v2, name: huge, version: 1.0.0, urls: [huge-1.0.0.tgz]}]
            """);
        var url = charts.PublicUrl("deps-hostile");

        Assert.StartsWith("failed to add remote dependency 'evil': failed to load downloaded archive of version '1.0.0': ",
            await FailAsync($"- name: evil\n  version: 1.0.0\n  repository: {url}\n"));
        Assert.Equal($"failed to add remote dependency 'huge': chart download of version '1.0.0' failed: chart exceeds the maximum chart file size of {ChartRepositoryLimits.MaxChartSize} bytes",
            await FailAsync($"- name: huge\n  version: 1.0.0\n  repository: {url}\n"));
    }

    [Fact]
    public void AChartCarryingADependencyUnderItsAliasRenders()
    {
        // What the builder adds for an aliased dependency: the chart renamed to the alias (as source-controller does).
        var chart = new ChartLoader().LoadFiles([
            new ChartFile("Chart.yaml", Encoding.UTF8.GetBytes("apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n- name: lib\n  alias: shared\n  version: 0.1.0\n")),
            new ChartFile("charts/shared/Chart.yaml", Encoding.UTF8.GetBytes("apiVersion: v2\nname: shared\nversion: 0.1.0\n")),
            new ChartFile("charts/shared/values.yaml", Encoding.UTF8.GetBytes("own: x\n")),
            new ChartFile("charts/shared/templates/cm.yaml", Encoding.UTF8.GetBytes("lib: {{ .Chart.Name }} {{ .Values.own }}\n")),
        ]);

        var output = TestCharts.Render(chart, ValuesReader.Read("shared:\n  own: zed\n"));

        Assert.True(output.Contains("lib: shared zed", StringComparison.Ordinal), output);
    }

    private async Task<string> FailAsync(string dependencies)
    {
        var chart = WriteApp(dependencies);
        var e = await Assert.ThrowsAsync<ChartDependencyException>(() => BuildAsync(chart));
        return e.Message;
    }

    private async Task<int> BuildAsync(Chart chart)
    {
        using var builder = new ChartDependencyBuilder(ResolveAsync);
        return await builder.BuildAsync(chart, new LocalChartReference(Path.Combine(_work, "src"), "./charts/app"), CancellationToken.None);
    }

    private Task<IChartRepository> ResolveAsync(string url, CancellationToken cancellationToken)
    {
        _resolved.Add(url);
        return Task.FromResult<IChartRepository>(ChartRepositoryUrl.IsOci(url)
            ? new OciChartRepository(url, Insecure)
            : new IndexChartRepository(new Uri(url), new HelmRepositoryCredentials { Timeout = TimeSpan.FromSeconds(10) }));
    }

    /// <summary>The chart under test: <c>src/charts/app</c> in the source artifact <c>src</c>, with its dependencies.</summary>
    private Chart WriteApp(string dependencies, string? lockFile = null, bool vendored = false)
    {
        var dir = Path.Combine(_work, "src", "charts", "app");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Write("src/charts/app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n" + dependencies);
        Write("src/charts/app/templates/cm.yaml", "app: {{ .Chart.Name }}\n");
        if (lockFile is not null)
        {
            Write("src/charts/app/Chart.lock", lockFile);
        }

        if (vendored)
        {
            Directory.CreateDirectory(Path.Combine(dir, "charts"));
            File.WriteAllBytes(Path.Combine(dir, "charts", "vendored-5.0.0.tgz"), TestCharts.Package("vendored", "5.0.0"));
        }

        return new ChartLoader().LoadDirectory(dir);
    }

    private void Write(string path, string content)
    {
        var full = Path.Combine(_work, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    private static Dictionary<string, string> Template(string name) => new()
    {
        ["templates/configmap.yaml"] = $"{name}: {{{{ .Chart.Name }}}}-{{{{ .Chart.Version }}}}\n",
    };

    private static void Add(TarWriter tar, string name, string content) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
}
