using System.Text;
using System.Text.Json;
using Weir.Oci.Artifacts;
using Weir.Oci.Distribution;

namespace Weir.Oci.Tests;

/// <summary>Parts of the embedded registry the round-trip tests do not reach: referrers and deletes.</summary>
public sealed class WeirRegistryApiTests(WeirRegistryFixture registry) : IClassFixture<WeirRegistryFixture>
{
    private static readonly RegistryClientOptions Insecure = new() { Insecure = true, MaxRetries = 0 };

    [Fact]
    public async Task ReferrersListManifestsWhoseSubjectIsTheDigest()
    {
        var pushed = await new ArtifactClient(Insecure).PushAsync(new OciReference(registry.Host, "ref/app", "v1"),
            TestEnv.SampleDir("ref"), new ArtifactMetadata("s", "r"));
        using var client = new RegistryClient(registry.Host, Insecure);
        var empty = BlobSource.FromBytes("{}"u8.ToArray());
        await client.PushBlobAsync("ref/app", empty);
        var subject = await client.HeadManifestAsync("ref/app", "v1");
        var signature = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            ArtifactType = "application/vnd.example.signature",
            Config = new Descriptor { MediaType = MediaTypes.OciEmpty, Digest = empty.Digest, Size = empty.Size },
            Layers = [new Descriptor { MediaType = MediaTypes.OciEmpty, Digest = empty.Digest, Size = empty.Size }],
            Subject = subject,
            Annotations = new Dictionary<string, string> { ["signed-by"] = "test" },
        }));
        var signatureDigest = await client.PutManifestAsync("ref/app", OciDigest.Of(signature), signature, MediaTypes.OciManifest);

        var referrers = await client.GetReferrersAsync("ref/app", pushed.Digest);
        var only = Assert.Single(referrers.Manifests);
        Assert.Equal(signatureDigest, only.Digest);
        Assert.Equal("application/vnd.example.signature", only.ArtifactType);
        Assert.Equal("test", only.Annotations!["signed-by"]);

        await client.DeleteManifestAsync("ref/app", signatureDigest);
        Assert.Empty((await client.GetReferrersAsync("ref/app", pushed.Digest)).Manifests);
    }

    [Fact]
    public async Task DeletedManifestAndBlobAreGone()
    {
        var pushed = await new ArtifactClient(Insecure).PushAsync(new OciReference(registry.Host, "del/app", "v1"),
            TestEnv.SampleDir("del"), new ArtifactMetadata("s", "r"));
        using var client = new RegistryClient(registry.Host, Insecure);
        var layer = (await client.GetManifestAsync("del/app", "v1")).AsManifest().Layers[0];
        await client.DeleteManifestAsync("del/app", pushed.Digest);
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync("del/app", "v1"));
        Assert.Equal(RegistryErrorKind.NotFound, e.Kind);
        Assert.Empty(await client.ListTagsAsync("del/app"));

        Assert.True(await client.BlobExistsAsync("del/app", layer.Digest));
        using var http = new HttpClient();
        using var response = await http.DeleteAsync($"http://{registry.Host}/v2/del/app/blobs/{layer.Digest}");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        Assert.False(await client.BlobExistsAsync("del/app", layer.Digest));
    }

    [Fact]
    public async Task ManifestReferencingAnUnknownBlobIsRefused()
    {
        using var client = new RegistryClient(registry.Host, Insecure);
        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciEmpty, Digest = OciDigest.Of("nope"u8), Size = 4 },
        }));
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.PutManifestAsync("bad/app", "v1", manifest, MediaTypes.OciManifest));
        Assert.Equal($"failed to push manifest 'v1' to {registry.Host}/bad/app: 400 Bad Request: request rejected (MANIFEST_BLOB_UNKNOWN: blob {OciDigest.Of("nope"u8)} unknown to repository)", e.Message);
    }
}
