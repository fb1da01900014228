using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary><c>weir helm template</c> as a process, against goldens of real <c>helm template</c> in the Helm corpus.</summary>
public sealed class HelmTemplateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("weir-helm-cli-").FullName;

    private static string Case(string name) => Path.Combine(TestPaths.Corpus, "helm", name);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task PrintsWhatHelmTemplatePrints()
    {
        var dir = Case("helm-cmd-template/template-set");

        // helm/helm's goldens come from its test build, whose default Kubernetes version is 1.20.
        var result = await WeirRun.RunAsync("/nonexistent", "helm", "template", Path.Combine(dir, "chart/subchart"),
            "--set", "service.name=apache", "--kube-version", "v1.20.0");

        Assert.Equal(0, result.Code);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "expected.txt")), result.Out.Replace(Path.Combine(dir, "chart") + "/", ""));
    }

    [Fact]
    public async Task WritesOutputDirectoryTree()
    {
        var dir = Case("kubermatic/telemetry__default");
        var result = await WeirRun.RunAsync("/nonexistent", "helm", "template", "release-name", Path.Combine(dir, "chart/telemetry"),
            "-n", "default", "-f", Path.Combine(dir, "values.yaml"), "--output-dir", _dir);

        Assert.Equal(0, result.Code);
        var written = Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(written);
        Assert.All(written, f => Assert.StartsWith(Path.Combine(_dir, "telemetry", "templates"), f, StringComparison.Ordinal));
        Assert.Contains($"wrote {_dir}/telemetry/templates/", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadChartEndsWithHelmsMessage()
    {
        var dir = Case("helm-cmd-template/template-chart-bad-type");
        var result = await WeirRun.RunAsync("/nonexistent", "helm", "template", Path.Combine(dir, "chart/chart-bad-type"));

        Assert.Equal(1, result.Code);
        Assert.Contains("validation: chart.metadata.type must be application or library", result.Err, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task PackageWritesTheChartArchiveThatTemplateReads()
    {
        var dir = Case("helm-cmd-template/template-set");
        var package = await WeirRun.RunAsync("/nonexistent", "helm", "package", Path.Combine(dir, "chart/subchart"), "-d", _dir);

        Assert.Equal(0, package.Code);
        var archive = Directory.GetFiles(_dir, "*.tgz").Single();
        Assert.Equal($"Successfully packaged chart and saved it to: {archive}\n", package.Out);
        var fromArchive = await WeirRun.RunAsync("/nonexistent", "helm", "template", archive, "--set", "service.name=apache", "--kube-version", "v1.20.0");
        Assert.Equal(0, fromArchive.Code);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "expected.txt")), fromArchive.Out);
    }
}
