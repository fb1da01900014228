using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary>The weir artifact verbs, run as a process against our registry.</summary>
public sealed class ArtifactVerbTests(WeirRegistryFixture registry) : IClassFixture<WeirRegistryFixture>
{
    private static Task<ProcessResult> Weir(params string[] args) => WeirRun.ExecAsync(args);

    [Fact]
    public async Task PushTagListAndPullThroughTheCli()
    {
        var url = $"oci://{registry.Host}/cli/app";
        var push = await Weir("push", "artifact", url + ":v1.0.0", "--path", TestEnv.SampleDir("cli"),
            "--source", "https://github.com/acme/app", "--revision", "main@sha1:0123abcd", "--insecure");
        Assert.True(push.Code == 0, push.Err);
        var digest = push.Out.Trim();
        Assert.Matches("^sha256:[a-f0-9]{64}$", digest);
        Assert.Contains($"► pushing artifact to {registry.Host}/cli/app:v1.0.0", push.Err);
        Assert.Contains($"✔ artifact successfully pushed to {registry.Host}/cli/app@{digest}", push.Err);

        var tag = await Weir("tag", "artifact", url + ":v1.0.0", "--tag", "latest", "--insecure");
        Assert.True(tag.Code == 0, tag.Err);
        Assert.Equal(digest, tag.Out.Trim());
        Assert.Contains($"✔ artifact tagged as {registry.Host}/cli/app:latest", tag.Err);

        var list = await Weir("list", "artifacts", url, "--insecure");
        Assert.True(list.Code == 0, list.Err);
        var lines = list.Out.TrimEnd().Split('\n');
        Assert.Equal(["ARTIFACT", "DIGEST", "SOURCE", "REVISION"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"{registry.Host}/cli/app:latest   {digest}   https://github.com/acme/app   main@sha1:0123abcd", lines[1]);
        Assert.Equal(3, lines.Length);

        var filtered = await Weir("list", "artifacts", url, "--filter-semver", ">=1.0.0", "--insecure");
        Assert.True(filtered.Code == 0, filtered.Err);
        Assert.Equal(2, filtered.Out.TrimEnd().Split('\n').Length);
        Assert.Contains($"{registry.Host}/cli/app:v1.0.0", filtered.Out);

        var output = Path.Combine(TestEnv.TempDir(), "out");
        var pull = await Weir("pull", "artifact", url + ":latest", "--output", output, "--insecure");
        Assert.True(pull.Code == 0, pull.Err);
        Assert.Contains($"✔ extracted artifact latest@{digest} to {output}", pull.Err);
        Assert.Contains("marker: cli", File.ReadAllText(Path.Combine(output, "deploy", "base", "deployment.yaml")));
    }

    [Fact]
    public async Task LargeTransfersShowProgressOnATerminal()
    {
        var dir = TestEnv.TempDir();
        var data = new byte[12 << 20];
        new Random(3).NextBytes(data);
        await File.WriteAllBytesAsync(Path.Combine(dir, "big.bin"), data);
        // script(1) gives the command a pseudo-terminal, so stderr is a TTY.
        var command = $"dotnet {WeirRun.Dll} push artifact oci://{registry.Host}/cli/big:v1 --path {dir} --insecure";
        var (code, output, err) = await TestProcess.RunAsync("script", ["-qec", command, "/dev/null"]);
        Assert.True(code == 0, output + err);
        Assert.Matches(@"12\.0 MiB / 12\.0 MiB\s+100\.0%", output);

        var piped = await Weir("push", "artifact", $"oci://{registry.Host}/cli/big:v2", "--path", dir, "--insecure");
        Assert.DoesNotContain("MiB", piped.Err);
    }

    [Fact]
    public async Task FailuresPrintTheCauseAndExitNonZero()
    {
        var missing = await Weir("pull", "artifact", $"oci://{registry.Host}/cli/none:v9", "--output", TestEnv.TempDir(), "--insecure");
        Assert.Equal(1, missing.Code);
        Assert.Contains($"✗ failed to get manifest 'v9' from {registry.Host}/cli/none: 404 Not Found", missing.Err);

        var badRef = await Weir("push", "artifact", "oci://nohost", "--path", ".", "--insecure");
        Assert.Equal(1, badRef.Code);
        Assert.Contains("✗ invalid OCI reference 'oci://nohost'", badRef.Err);
    }
}
