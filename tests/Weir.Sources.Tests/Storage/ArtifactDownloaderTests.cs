using Weir.Runtime.Artifacts;
using Weir.Sources.Storage;

namespace Weir.Sources.Tests.Storage;

public sealed class ArtifactDownloaderTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("weir-store-").FullName;
    private ArtifactServer _server = null!;
    private StoredArtifact _stored = null!;

    public async Task InitializeAsync()
    {
        var store = new ArtifactStore(_root);
        var source = Directory.CreateTempSubdirectory("weir-src-");
        await File.WriteAllTextAsync(Path.Combine(source.FullName, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
        using var tarball = new MemoryStream();
        await ArtifactArchiver.CreateAsync(source.FullName, tarball);
        tarball.Position = 0;
        _stored = await store.StoreAsync("OCIRepository", "flux-system", "app", tarball);
        source.Delete(recursive: true);
        _server = await ArtifactServer.StartAsync(store);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task DownloadsVerifiesAndExtracts()
    {
        var target = Directory.CreateTempSubdirectory("weir-dl-").FullName;
        using var http = new HttpClient();
        await new ArtifactDownloader(http).FetchAsync(_server.UrlFor(_stored.Path), _stored.Digest.ToString(), target, CancellationToken.None);
        Assert.Contains("kind: ConfigMap", await File.ReadAllTextAsync(Path.Combine(target, "cm.yaml")));
        Directory.Delete(target, recursive: true);
    }

    [Fact]
    public async Task RefusesATarballThatDoesNotMatchItsDigest()
    {
        var target = Path.Combine(Path.GetTempPath(), "weir-dl-" + Guid.NewGuid().ToString("N"));
        using var http = new HttpClient();
        var wrong = "sha256:" + new string('0', 64);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new ArtifactDownloader(http).FetchAsync(_server.UrlFor(_stored.Path), wrong, target, CancellationToken.None));
        Assert.Equal($"failed to verify archive: computed digest doesn't match provided '{wrong}' (check whether file size exceeds max download size)", error.Message);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task MissingTarballIsNotFound()
    {
        using var http = new HttpClient();
        await Assert.ThrowsAsync<ArtifactNotFoundException>(() =>
            new ArtifactDownloader(http).FetchAsync(_server.UrlFor("ocirepository/flux-system/app/nope.tar.gz"), _stored.Digest.ToString(), "/tmp/unused", CancellationToken.None));
    }
}
