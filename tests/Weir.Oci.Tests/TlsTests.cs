using System.Security.Cryptography.X509Certificates;
using Weir.Oci.Artifacts;
using Weir.Oci.Distribution;

namespace Weir.Oci.Tests;

/// <summary>HTTPS to docker-registry with a certificate signed by a custom CA.</summary>
public sealed class TlsTests(TlsDockerRegistryFixture registry) : IClassFixture<TlsDockerRegistryFixture>
{
    [Fact]
    public async Task CustomCaIsTrustedForPushAndPull()
    {
        var options = new RegistryClientOptions { CaCertificates = [registry.Certificate!], MaxRetries = 0 };
        var client = new ArtifactClient(options);
        var pushed = await client.PushAsync(new OciReference(registry.Host, "tls/app", "v1"), TestEnv.SampleDir("tls"), new ArtifactMetadata("s", "r"));
        var output = TestEnv.TempDir();
        var pulled = await client.PullAsync(new OciReference(registry.Host, "tls/app", "v1"), output);
        Assert.Equal($"v1@{pushed.Digest}", pulled.Revision);
    }

    [Fact]
    public async Task UnknownCaFailsTheHandshakeWithAClearMessage()
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            new ArtifactClient(new RegistryClientOptions { MaxRetries = 0 }).PullAsync(new OciReference(registry.Host, "tls/app", "v1"), TestEnv.TempDir()));
        Assert.Equal(RegistryErrorKind.Unreachable, e.Kind);
        Assert.StartsWith($"failed to get manifest 'v1' from {registry.Host}/tls/app: registry {registry.Host} is unreachable: TLS handshake failed", e.Message);
    }

    [Fact]
    public async Task PlainHttpAgainstTlsRegistryIsRejected()
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            new ArtifactClient(new RegistryClientOptions { Insecure = true, MaxRetries = 0, CaCertificates = new X509Certificate2Collection() })
                .PullAsync(new OciReference(registry.Host, "tls/app", "v1"), TestEnv.TempDir()));
        Assert.Equal(RegistryErrorKind.Other, e.Kind);
        Assert.StartsWith($"failed to get manifest 'v1' from {registry.Host}/tls/app: 400 Bad Request", e.Message);
    }
}
