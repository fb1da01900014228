using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Weir.Sources.Storage;

namespace Weir.Sources.Tests.Storage;

public sealed class ArtifactStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("weir-store-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static MemoryStream Content(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task StoresUnderFluxLayoutNamedBySha256()
    {
        var store = new ArtifactStore(_root);
        var artifact = await store.StoreAsync("OCIRepository", "flux-system", "my-app", Content("hello"));
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("hello")));
        Assert.Equal($"ocirepository/flux-system/my-app/{hex}.tar.gz", artifact.Path);
        Assert.Equal("sha256:" + hex, artifact.Digest.ToString());
        Assert.Equal(5, artifact.Size);
        Assert.True(await store.VerifyAsync(artifact));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "ocirepository/flux-system/my-app"), ".tmp-*"));
    }

    [Fact]
    public async Task DetectsAnArtifactChangedOrRemovedOnDisk()
    {
        var store = new ArtifactStore(_root);
        var artifact = await store.StoreAsync("OCIRepository", "ns", "a", Content("v1"));
        await File.WriteAllTextAsync(store.FullPath(artifact.Path), "tampered");
        Assert.False(await store.VerifyAsync(artifact));
        File.Delete(store.FullPath(artifact.Path));
        Assert.False(await store.VerifyAsync(artifact));
    }

    [Fact]
    public async Task ConcurrentWritersOfOneObjectAllSucceed()
    {
        var store = new ArtifactStore(_root);
        var writes = Enumerable.Range(0, 16).Select(i => store.StoreAsync("OCIRepository", "ns", "a", Content($"v{i % 4}")));
        var stored = await Task.WhenAll(writes);
        Assert.Equal(4, stored.Select(s => s.Path).Distinct().Count());
        foreach (var artifact in stored)
        {
            Assert.True(await store.VerifyAsync(artifact));
        }
    }

    [Fact]
    public async Task GarbageCollectionKeepsTheNewestAndTheCurrent()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new ArtifactStore(_root, clock);
        var paths = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            paths.Add((await store.StoreAsync("OCIRepository", "ns", "a", Content($"v{i}"))).Path);
        }

        var deleted = await store.CollectGarbageAsync("OCIRepository", "ns", "a", currentPath: paths[^1], keep: 2);
        Assert.Equal(paths.Take(3).OrderBy(p => p), deleted.OrderBy(p => p));
        Assert.True(store.Exists(paths[3]));
        Assert.True(store.Exists(paths[4]));
    }

    [Theory]
    [InlineData("..", "ns", "a")]
    [InlineData("OCIRepository", "../etc", "a")]
    [InlineData("OCIRepository", "ns", "")]
    public async Task RefusesPathsThatEscape(string kind, string ns, string name)
    {
        var store = new ArtifactStore(_root);
        await Assert.ThrowsAsync<ArgumentException>(() => store.StoreAsync(kind, ns, name, Content("x")));
        Assert.Throws<ArgumentException>(() => store.FullPath("../outside.tar.gz"));
    }

    [Fact]
    public async Task ServerServesArtifactsAndNothingElse()
    {
        var store = new ArtifactStore(_root);
        var artifact = await store.StoreAsync("OCIRepository", "flux-system", "my-app", Content("payload"));
        await File.WriteAllTextAsync(Path.Combine(_root, "secret.txt"), "no");
        await using var server = await ArtifactServer.StartAsync(store);
        using var http = new HttpClient();

        var url = server.UrlFor(artifact.Path);
        Assert.StartsWith("http://127.0.0.1:", url);
        Assert.Equal("payload", await http.GetStringAsync(url));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(server.Address, "secret.txt"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(server.Address, "ocirepository/flux-system/my-app/missing.tar.gz"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(server.Address + "ocirepository/%2e%2e/%2e%2e/x.tar.gz")).StatusCode);
    }
}
