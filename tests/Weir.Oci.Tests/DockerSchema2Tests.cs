using Weir.Oci.Artifacts;
using Weir.Oci.Distribution;

namespace Weir.Oci.Tests;

/// <summary>Docker schema 2 manifests (written by skopeo --format v2s2) pulled by our client from both registries.</summary>
public abstract class DockerSchema2Tests
{
    protected abstract string Host { get; }

    [Fact]
    public async Task DockerSchema2ImageIsResolvedAndPulled()
    {
        var layout = TestEnv.TempDir();
        SkopeoTests.BuildLayout(layout, "v1", "schema two\n");
        await SkopeoTests.SkopeoAsync("copy", "--format", "v2s2", "--dest-tls-verify=false", $"oci:{layout}:v1", $"docker://{Host}/v2s2/image:v1");

        var options = new RegistryClientOptions { Insecure = true, MaxRetries = 0 };
        using var client = new RegistryClient(Host, options);
        var manifest = await client.GetManifestAsync("v2s2/image", "v1");
        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        var head = await client.HeadManifestAsync("v2s2/image", "v1");
        Assert.Equal(manifest.Digest, head.Digest);
        Assert.Equal(MediaTypes.DockerManifest, head.MediaType);

        var output = TestEnv.TempDir();
        var pulled = await new ArtifactClient(options).PullAsync(new OciReference(Host, "v2s2/image", Digest: manifest.Digest), output);
        Assert.Equal(manifest.Digest, pulled.Revision);
        Assert.Equal("schema two\n", File.ReadAllText(Path.Combine(output, "hello.txt")));
    }
}

public sealed class DockerRegistrySchema2Tests(DockerRegistryFixture registry) : DockerSchema2Tests, IClassFixture<DockerRegistryFixture>
{
    protected override string Host => registry.Host;
}

public sealed class WeirRegistrySchema2Tests(WeirRegistryFixture registry) : DockerSchema2Tests, IClassFixture<WeirRegistryFixture>
{
    protected override string Host => registry.Host;
}
