using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Weir.Oci.Artifacts;
using Weir.Oci.Auth;
using Weir.Oci.Distribution;

namespace Weir.Oci.Tests;

/// <summary>
/// docker-registry in token-auth mode with a minimal token service (signs JWTs with a
/// certificate the registry trusts), so the client follows a real Bearer challenge.
/// </summary>
public sealed class BearerDockerRegistryFixture : IAsyncLifetime
{
    private const string Service = "weir-test-registry";
    private const string Issuer = "weir-test-issuer";
    private Process? _process;
    private WebApplication? _tokenServer;
    private string _dir = "";
    private RSA? _key;
    private X509Certificate2? _cert;

    public string Host { get; private set; } = "";

    public RegistryCredentials Credentials { get; } = new("weir", Guid.NewGuid().ToString("N"));

    public int TokensIssued;

    public async Task InitializeAsync()
    {
        _dir = TestEnv.TempDir("weir-bearer-registry-");
        _key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + Issuer, _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(Path.Combine(_dir, "token.crt"), _cert.ExportCertificatePem());

        var tokenPort = TestEnv.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, tokenPort));
        _tokenServer = builder.Build();
        _tokenServer.MapGet("/token", Token);
        await _tokenServer.StartAsync();

        Host = $"127.0.0.1:{TestEnv.FreePort()}";
        var config = Path.Combine(_dir, "config.yml");
        await File.WriteAllTextAsync(config, $"version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {_dir}/data\nhttp:\n  addr: {Host}\nauth:\n  token:\n    realm: http://127.0.0.1:{tokenPort}/token\n    service: {Service}\n    issuer: {Issuer}\n    rootcertbundle: {_dir}/token.crt\n");
        _process = await DockerRegistryFixture.LaunchAsync(config, $"http://{Host}/v2/");
    }

    private IResult Token(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Credentials.Username}:{Credentials.Password}"));
        if (header != expected)
        {
            return Results.Unauthorized();
        }
        var access = new JsonArray();
        foreach (var scope in ctx.Request.Query["scope"])
        {
            var parts = scope!.Split(':');
            access.Add(new JsonObject
            {
                ["type"] = parts[0],
                ["name"] = parts[1],
                ["actions"] = new JsonArray([.. parts[2].Split(',').Select(a => (JsonNode)JsonValue.Create(a)!)]),
            });
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var head = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new JsonArray(Convert.ToBase64String(_cert!.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = Credentials.Username,
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signingInput = B64(Encoding.UTF8.GetBytes(head.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key!.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Interlocked.Increment(ref TokensIssued);
        return Results.Json(new { token = signingInput + "." + B64(signature) });
    }

    private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        if (_tokenServer is not null)
        {
            await _tokenServer.DisposeAsync();
        }
        _key?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

public sealed class BearerTokenTests(BearerDockerRegistryFixture registry) : IClassFixture<BearerDockerRegistryFixture>
{
    [Fact]
    public async Task BearerChallengeIsAnsweredWithATokenFromTheRealm()
    {
        var client = new ArtifactClient(new RegistryClientOptions { Insecure = true, Credentials = registry.Credentials, MaxRetries = 0 });
        var before = registry.TokensIssued;
        var pushed = await client.PushAsync(new OciReference(registry.Host, "bearer/app", "v1"), TestEnv.SampleDir("bearer"), new ArtifactMetadata("s", "r"));
        var output = TestEnv.TempDir();
        var pulled = await client.PullAsync(new OciReference(registry.Host, "bearer/app", "v1"), output);
        Assert.Equal($"v1@{pushed.Digest}", pulled.Revision);
        Assert.True(registry.TokensIssued > before);
    }

    [Fact]
    public async Task RejectedByTheTokenServiceIsReportedAsUnauthorized()
    {
        var client = new ArtifactClient(new RegistryClientOptions { Insecure = true, Credentials = registry.Credentials with { Password = "wrong" }, MaxRetries = 0 });
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.PullAsync(new OciReference(registry.Host, "bearer/app", "v1"), TestEnv.TempDir()));
        Assert.Equal(RegistryErrorKind.Unauthorized, e.Kind);
        Assert.Equal($"failed to get manifest 'v1' from {registry.Host}/bearer/app: 401 Unauthorized: the token service of {registry.Host} rejected the credentials", e.Message);
    }
}
