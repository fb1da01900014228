using System.Text;
using System.Text.Json.Nodes;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary>
/// <c>weir push artifact</c> is reproducible as <c>flux push artifact</c> is: the same directory pushed by two
/// processes, with different file times, gives the same content layer; the manifest reads as Go writes JSON.
/// </summary>
public sealed class ReproducibleArtifactTests(DockerRegistryFixture registry) : IClassFixture<DockerRegistryFixture>
{
    [Fact]
    public async Task TheSameDirectoryPushedByTwoProcessesHasOneLayerDigest()
    {
        var dir = TestEnv.SampleDir("reproducible");
        var first = await PushAndInspectAsync(dir, "v1");
        foreach (var path in Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(path, new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        }
        var second = await PushAndInspectAsync(dir, "v2");

        Assert.Equal(Layer(first), Layer(second));
        Assert.Matches("^sha256:[0-9a-f]{64}$", Layer(first));

        File.AppendAllText(Path.Combine(dir, "deploy", "kustomization.yaml"), "# changed\n");
        Assert.NotEqual(Layer(first), Layer(await PushAndInspectAsync(dir, "v3")));
    }

    [Fact]
    public async Task TheManifestWritesMediaTypesWithALiteralPlus()
    {
        var raw = await PushAndInspectAsync(TestEnv.SampleDir("plus"), "plus");
        Assert.Contains("\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"", raw);
        Assert.Contains("\"mediaType\":\"application/vnd.cncf.flux.content.v1.tar+gzip\"", raw);
        Assert.DoesNotContain("\\u002B", raw);
    }

    /// <summary>Pushes with a fresh weir process; returns the manifest exactly as the registry serves it (skopeo inspect --raw).</summary>
    private async Task<string> PushAndInspectAsync(string dir, string tag)
    {
        var push = await WeirRun.ExecAsync(["push", "artifact", $"oci://{registry.Host}/repro/app:{tag}", "--path", dir,
            "--source", "https://github.com/acme/app", "--revision", "main@sha1:0123abcd", "--insecure"]);
        Assert.True(push.Code == 0, push.Err);
        var inspect = await TestProcess.RunAsync("skopeo", ["inspect", "--raw", "--tls-verify=false", $"docker://{registry.Host}/repro/app:{tag}"]);
        Assert.True(inspect.Code == 0, inspect.Err);
        return inspect.Out;
    }

    private static string Layer(string manifest) => JsonNode.Parse(Encoding.UTF8.GetBytes(manifest))!["layers"]![0]!["digest"]!.GetValue<string>();
}
