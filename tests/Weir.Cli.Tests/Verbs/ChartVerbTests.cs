using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary><c>weir push chart</c> and <c>weir pull chart</c> as a process, against our registry.</summary>
public sealed class ChartVerbTests(WeirRegistryFixture registry) : IClassFixture<WeirRegistryFixture>
{
    private static Task<ProcessResult> Weir(params string[] args) => WeirRun.ExecAsync(args);

    [Fact]
    public async Task APushedChartDirectoryIsPulledBackAsItsPackage()
    {
        var chart = Path.Combine(TestEnv.TempDir(), "web");
        Directory.CreateDirectory(Path.Combine(chart, "templates"));
        await File.WriteAllTextAsync(Path.Combine(chart, "Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.4.0\n");
        await File.WriteAllTextAsync(Path.Combine(chart, "values.yaml"), "image: nginx\n");
        await File.WriteAllTextAsync(Path.Combine(chart, "templates", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n");

        var push = await Weir("push", "chart", chart, $"oci://{registry.Host}/charts", "--insecure");

        Assert.True(push.Code == 0, push.Err);
        var lines = push.Out.TrimEnd().Split('\n');
        Assert.Equal($"Pushed: {registry.Host}/charts/web:1.4.0", lines[0]);
        Assert.Matches("^Digest: sha256:[a-f0-9]{64}$", lines[1]);

        var packaged = Path.Combine(TestEnv.TempDir(), "packaged");
        var package = await Weir("helm", "package", chart, "--destination", packaged);
        Assert.True(package.Code == 0, package.Err);
        var output = Path.Combine(TestEnv.TempDir(), "pulled");
        var pull = await Weir("pull", "chart", $"oci://{registry.Host}/charts/web", "--version", "1.x", "-d", output, "--insecure");

        Assert.True(pull.Code == 0, pull.Err);
        Assert.StartsWith($"Pulled: {registry.Host}/charts/web:1.4.0\nDigest: {lines[1]["Digest: ".Length..]}", pull.Out);
        Assert.Equal(File.ReadAllBytes(Path.Combine(packaged, "web-1.4.0.tgz")), File.ReadAllBytes(Path.Combine(output, "web-1.4.0.tgz")));
    }

    [Fact]
    public async Task PullingAVersionThatDoesNotExistFailsWithOneLine()
    {
        var result = await Weir("pull", "chart", $"oci://{registry.Host}/charts/absent", "--version", "9.9.9", "--insecure");

        Assert.Equal(1, result.Code);
        Assert.DoesNotContain("   at ", result.Err);
        Assert.Contains("absent", result.Err);
    }
}
