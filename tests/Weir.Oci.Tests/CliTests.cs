namespace Weir.Oci.Tests;

/// <summary>The weir artifact verbs, run as a process against our registry.</summary>
public sealed class CliTests(WeirRegistryFixture registry) : IClassFixture<WeirRegistryFixture>
{
    private static Task<(int Code, string Out, string Err)> Weir(params string[] args) =>
        TestEnv.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "weir.dll"), .. args]);

    [Fact]
    public async Task PushTagListAndPullThroughTheCli()
    {
        var url = $"oci://{registry.Host}/cli/app";
        var push = await Weir("push", "artifact", url + ":v1.0.0", "--path", ArtifactRoundTripTests.SampleDir("cli"),
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

        var output = Path.Combine(TestEnv.TempDir(), "out");
        var pull = await Weir("pull", "artifact", url + ":latest", "--output", output, "--insecure");
        Assert.True(pull.Code == 0, pull.Err);
        Assert.Contains($"✔ extracted artifact latest@{digest} to {output}", pull.Err);
        Assert.Contains("marker: cli", File.ReadAllText(Path.Combine(output, "deploy", "base", "deployment.yaml")));
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
