using Weir.Oci.Artifacts;
using Weir.Oci.Distribution;

namespace Weir.Oci.Tests;

/// <summary>
/// Our client against a registry: push, tag, list, pull, digest pinning, semver selection,
/// pagination, chunked upload, mount and the failure messages. Run against Debian's
/// docker-registry and against our embedded registry.
/// </summary>
public abstract class ArtifactRoundTripTests
{
    protected abstract string Host { get; }

    protected virtual RegistryClientOptions Options => new() { Insecure = true, MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(50) };

    private ArtifactClient Client(RegistryClientOptions? options = null) => new(options ?? Options);

    private OciReference Ref(string repo, string tag) => new(Host, repo, tag);

    private static string Repo() => "apps/app-" + Guid.NewGuid().ToString("N")[..8];

    private Task<ArtifactPushResult> PushAsync(string repo, string tag, string marker, RegistryClientOptions? options = null) =>
        Client(options).PushAsync(Ref(repo, tag), TestEnv.SampleDir(marker), new ArtifactMetadata("https://github.com/acme/app", $"main@sha1:{marker}"));

    [Fact]
    public async Task PushTagListPullRoundTrip()
    {
        var repo = Repo();
        var pushed = await PushAsync(repo, "v1.0.0", "one");
        Assert.Matches("^sha256:[a-f0-9]{64}$", pushed.Digest);

        var client = Client();
        Assert.Equal(pushed.Digest, await client.TagAsync(Ref(repo, "v1.0.0"), "latest"));

        var listed = await client.ListAsync(new OciReference(Host, repo));
        Assert.Equal(["latest", "v1.0.0"], listed.Select(a => a.Reference.Tag).Order(StringComparer.Ordinal));
        Assert.All(listed, a =>
        {
            Assert.Equal(pushed.Digest, a.Digest);
            Assert.Equal("https://github.com/acme/app", a.Source);
            Assert.Equal("main@sha1:one", a.Revision);
        });

        var output = TestEnv.TempDir();
        var pulled = await client.PullAsync(Ref(repo, "latest"), output);
        Assert.Equal($"latest@{pushed.Digest}", pulled.Revision);
        Assert.Equal("main@sha1:one", pulled.Annotations[ArtifactClient.RevisionAnnotation]);
        Assert.Equal("kind: Deployment\nmarker: one\n", File.ReadAllText(Path.Combine(output, "deploy", "base", "deployment.yaml")));
        Assert.False(Directory.Exists(Path.Combine(output, ".git")));
        Assert.False(File.Exists(Path.Combine(output, "logo.png")));

        using var raw = new RegistryClient(Host, Options);
        var manifest = (await raw.GetManifestAsync(repo, "latest")).AsManifest();
        Assert.Equal(MediaTypes.FluxConfig, manifest.Config.MediaType);
        Assert.Equal(MediaTypes.FluxContent, Assert.Single(manifest.Layers).MediaType);
        Assert.Equal(pushed.Digest, (await raw.HeadManifestAsync(repo, "v1.0.0")).Digest);
    }

    [Fact]
    public async Task PullPinnedByDigestIgnoresLaterPushes()
    {
        var repo = Repo();
        var first = await PushAsync(repo, "latest", "first");
        await PushAsync(repo, "latest", "second");
        var output = TestEnv.TempDir();
        var pulled = await Client().PullAsync(new OciReference(Host, repo, Digest: first.Digest), output);
        Assert.Equal(first.Digest, pulled.Revision);
        Assert.Contains("marker: first", File.ReadAllText(Path.Combine(output, "deploy", "base", "deployment.yaml")));
    }

    [Fact]
    public async Task SemverSelectsTheHighestMatchingTag()
    {
        var repo = Repo();
        var first = await PushAsync(repo, "1.0.0", "a");
        var client = Client();
        foreach (var tag in new[] { "v1.2.0", "1.3.0-rc.1", "2.0.0", "latest", "v1.10.1" })
        {
            await client.TagAsync(Ref(repo, "1.0.0"), tag);
        }
        var repository = new OciReference(Host, repo);
        Assert.Equal("v1.10.1", await client.SelectTagAsync(repository, ">=1.0.0 <2.0.0"));
        Assert.Equal("v1.2.0", await client.SelectTagAsync(repository, "~1.2"));
        Assert.Equal("1.3.0-rc.1", await client.SelectTagAsync(repository, ">=1.3.0-0 <1.4.0-0"));
        Assert.Equal("v1.2.0", await client.SelectTagAsync(repository, "1.x", filter: @"^v1\.2"));
        var e = await Assert.ThrowsAsync<Versioning.SemverSelectionException>(() => client.SelectTagAsync(repository, ">=3.0.0"));
        Assert.Equal($"failed to determine the artifact tag for 'oci://{Host}/{repo}': no match found for semver: >=3.0.0", e.Message);
        Assert.NotNull(first);
    }

    [Fact]
    public async Task TagListFollowsPagination()
    {
        var repo = Repo();
        await PushAsync(repo, "t0", "p");
        var client = Client();
        foreach (var i in Enumerable.Range(1, 6))
        {
            await client.TagAsync(Ref(repo, "t0"), $"t{i}");
        }
        using var raw = new RegistryClient(Host, Options with { TagPageSize = 2 });
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"t{i}"), (await raw.ListTagsAsync(repo)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ChunkedUploadAndCrossRepositoryMount()
    {
        var data = new byte[300_000];
        new Random(7).NextBytes(data);
        var blob = BlobSource.FromBytes(data);
        var (a, b) = (Repo(), Repo());
        using var client = new RegistryClient(Host, Options with { ChunkSize = 64 * 1024 });
        await client.PushBlobAsync(a, blob);
        Assert.True(await client.BlobExistsAsync(a, blob.Digest));
        Assert.False(await client.BlobExistsAsync(b, blob.Digest));
        await client.PushBlobAsync(b, blob, mountFrom: a);
        Assert.True(await client.BlobExistsAsync(b, blob.Digest));
        using var back = new MemoryStream();
        await client.GetBlobAsync(b, new Descriptor { MediaType = "application/octet-stream", Digest = blob.Digest, Size = blob.Size }, back);
        Assert.Equal(data, back.ToArray());
    }

    [Fact]
    public async Task BlobWithWrongDeclaredDigestIsRejectedOnPull()
    {
        var repo = Repo();
        var blob = BlobSource.FromBytes("real content"u8.ToArray());
        using var client = new RegistryClient(Host, Options);
        await client.PushBlobAsync(repo, blob);
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetBlobAsync(repo,
            new Descriptor { MediaType = "x", Digest = blob.Digest, Size = 4 }, new MemoryStream()));
        Assert.Equal(RegistryErrorKind.InvalidContent, e.Kind);
        Assert.Contains("sent more than the declared 4 bytes", e.Message);
    }

    [Fact]
    public async Task MissingTagNamesRegistryRepositoryAndCause()
    {
        var repo = Repo();
        await PushAsync(repo, "v1", "x");
        var e = await Assert.ThrowsAsync<RegistryException>(() => Client().PullAsync(Ref(repo, "v9"), TestEnv.TempDir()));
        Assert.Equal(RegistryErrorKind.NotFound, e.Kind);
        Assert.Equal($"failed to get manifest 'v9' from {Host}/{repo}: 404 Not Found: not found (MANIFEST_UNKNOWN: manifest unknown)", e.Message);
    }

    [Fact]
    public async Task UnreachableRegistryIsReportedAsSuch()
    {
        var host = $"127.0.0.1:{TestEnv.FreePort()}";
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            Client().PullAsync(new OciReference(host, "app", "v1"), TestEnv.TempDir()));
        Assert.Equal(RegistryErrorKind.Unreachable, e.Kind);
        Assert.Equal($"failed to get manifest 'v1' from {host}/app: registry {host} is unreachable: connection refused", e.Message);
    }
}

public sealed class DockerRegistryRoundTripTests(DockerRegistryFixture registry) : ArtifactRoundTripTests, IClassFixture<DockerRegistryFixture>
{
    protected override string Host => registry.Host;
}

public sealed class WeirRegistryRoundTripTests(WeirRegistryFixture registry) : ArtifactRoundTripTests, IClassFixture<WeirRegistryFixture>
{
    protected override string Host => registry.Host;
}
