using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary>
/// Every verb fed bad input (malformed YAML, missing paths, no cluster, bad flags) ends with one <c>✗ message</c>
/// line on stderr and exit code 1 (2 for usage errors, and for <c>diff</c>, whose 1 means "differences"), never a
/// stack trace.
/// </summary>
public sealed class ErrorTests : IDisposable
{
    private const string NoKubeconfig = "/nonexistent/kubeconfig";
    private readonly string _dir = TestEnv.TempDir("weir-cli-errors-");

    public ErrorTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "bad"));
        File.WriteAllText(Path.Combine(_dir, "bad", "kustomization.yaml"), "resources:\n- cm.yaml\n");
        File.WriteAllText(Path.Combine(_dir, "bad", "cm.yaml"), MalformedManifest);
    }

    /// <summary>An unclosed flow sequence followed by a less indented line (YamlDotNet threw InvalidOperationException).</summary>
    private static string MalformedManifest => "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  items: [a, b\n  mode: fast\n";

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<int, string[]> Cases() => new()
    {
        { 1, ["kustomize", "build", "{bad}"] },
        { 1, ["build", "ks", "apps", "--path", "{bad}", "--dry-run"] },
        { 1, ["kustomize", "build", "{missing}"] },
        { 1, ["build", "kustomization", "apps", "--path", "{missing}", "--dry-run"] },
        { 2, ["diff", "ks", "apps", "--path", "{bad}"] },
        { 1, ["get", "ks"] },
        { 1, ["get", "sources", "oci"] },
        { 1, ["reconcile", "ks", "apps"] },
        { 1, ["suspend", "ks", "apps"] },
        { 1, ["resume", "ks", "apps"] },
        { 1, ["events"] },
        { 1, ["tree", "ks", "apps"] },
        { 1, ["trace", "deployment/web"] },
        { 1, ["stats"] },
        { 1, ["check"] },
        { 1, ["version"] },
        { 1, ["status", "my-app"] },
        { 1, ["logs", "--log-file", "{missing}"] },
        { 1, ["controller", "--kubeconfig", "{missing}"] },
        { 1, ["push", "artifact", "oci://127.0.0.1:1/app:v1", "--path", "{missing}"] },
        { 1, ["list", "artifacts", "not-a-reference"] },
        { 2, ["up", "--scenario", "no-such-scenario", "--data-dir", "{missing}"] },
        { 2, ["cluster", "--data-dir", "{missing}", "--simulator-delay", "soon"] },
        { 2, ["cluster", "add-user", "dev", "--role", "owner"] },
        { 2, ["kustomize", "build", "{bad}", "--load-restrictor", "Sometimes"] },
        { 2, ["crds", "-o", "toml"] },
        { 2, ["install", "--export", "--bogus"] },
        { 2, ["push", "artifact"] },
        { 2, ["no-such-verb"] },
        { 2, ["helm", "no-such-verb", "--help"] },
        { 2, ["get", "no-such-kind", "--help"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EndsWithOneFailureLineAndNoStackTrace(int code, string[] args)
    {
        var resolved = args.Select(a => a.Replace("{bad}", Path.Combine(_dir, "bad")).Replace("{missing}", Path.Combine(_dir, "missing"))).ToArray();
        var result = await WeirRun.RunAsync(NoKubeconfig, resolved);

        Assert.True(code == result.Code, $"exit {result.Code}\n{result.Err}");
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.StartsWith("✗ ", StringComparison.Ordinal));
        Assert.StartsWith("✗ ", lines[^1]);
        Assert.DoesNotContain("   at ", result.Err + result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpOfAKnownCommandStillExitsZero()
    {
        var result = await WeirRun.RunAsync(NoKubeconfig, "get", "--help");

        Assert.True(result.Code == 0, $"exit {result.Code}\n{result.Err}");
        Assert.Contains("Usage:", result.Out);
        Assert.Equal("", result.Err);
    }

    [Fact]
    public async Task MalformedYamlIsReportedAsKubectlKustomizeReportsIt()
    {
        var bad = Path.Combine(_dir, "bad");
        var kubectl = $"MalformedYAMLError: {KubectlOracle.MalformedYamlError(bad, "cm.yaml")} in File: cm.yaml";

        var kustomize = await WeirRun.RunAsync(NoKubeconfig, "kustomize", "build", bad);
        Assert.Equal($"✗ {kubectl}\n", kustomize.Err);

        var build = await WeirRun.RunAsync(NoKubeconfig, "build", "ks", "apps", "--path", bad, "--dry-run");
        Assert.Equal($"✗ kustomize build failed: {kubectl}\n", build.Err);
    }
}
