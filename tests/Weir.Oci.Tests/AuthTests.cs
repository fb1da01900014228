using System.Text;
using Weir.Oci.Artifacts;
using Weir.Oci.Auth;
using Weir.Oci.Distribution;

namespace Weir.Oci.Tests;

/// <summary>Basic auth driven by WWW-Authenticate challenges, against registries that require it.</summary>
public abstract class AuthTests
{
    protected abstract string Host { get; }

    protected abstract RegistryCredentials Credentials { get; }

    private RegistryClientOptions Options(RegistryCredentials? creds) => new() { Insecure = true, Credentials = creds, MaxRetries = 0 };

    private OciReference Ref(string tag) => new(Host, "secure/app", tag);

    [Fact]
    public async Task RightCredentialsPushListAndPull()
    {
        var client = new ArtifactClient(Options(Credentials));
        var pushed = await client.PushAsync(Ref("v1"), TestEnv.SampleDir("auth"), new ArtifactMetadata("src", "rev"));
        Assert.Contains(await client.ListAsync(new OciReference(Host, "secure/app")), a => a.Digest == pushed.Digest);
        var output = TestEnv.TempDir();
        await client.PullAsync(Ref("v1"), output);
        Assert.True(File.Exists(Path.Combine(output, "deploy", "kustomization.yaml")));
    }

    [Fact]
    public async Task CredentialsFromADockerConfigJson()
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Credentials.Username}:{Credentials.Password}"));
        var config = DockerConfig.Parse(new System.Text.Json.Nodes.JsonObject
        {
            ["auths"] = new System.Text.Json.Nodes.JsonObject { [Host] = new System.Text.Json.Nodes.JsonObject { ["auth"] = auth } },
        }.ToJsonString());
        Assert.Null(config.For("other.example:5000"));
        var client = new ArtifactClient(Options(config.For(Host)));
        var pushed = await client.PushAsync(Ref("from-config"), TestEnv.SampleDir("cfg"), new ArtifactMetadata("src", "rev"));
        Assert.Matches("^sha256:", pushed.Digest);
    }

    [Fact]
    public async Task MissingCredentialsAreReportedAs401()
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() => new ArtifactClient(Options(null)).PullAsync(Ref("v1"), TestEnv.TempDir()));
        Assert.Equal(RegistryErrorKind.Unauthorized, e.Kind);
        Assert.StartsWith($"failed to get manifest 'v1' from {Host}/secure/app: 401 Unauthorized: authentication required (no credentials given)", e.Message);
    }

    [Fact]
    public async Task WrongCredentialsAreReportedAsRejected()
    {
        var wrong = Credentials with { Password = "not-the-password" };
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            new ArtifactClient(Options(wrong)).PushAsync(Ref("v2"), TestEnv.SampleDir("x"), new ArtifactMetadata("s", "r")));
        Assert.Equal(RegistryErrorKind.Unauthorized, e.Kind);
        Assert.StartsWith($"failed to check blob 'sha256:", e.Message);
        Assert.Contains($"in {Host}/secure/app: 401 Unauthorized: the credentials were rejected", e.Message);
        Assert.DoesNotContain("not-the-password", e.Message);
    }
}

public sealed class DockerRegistryAuthTests(AuthDockerRegistryFixture registry) : AuthTests, IClassFixture<AuthDockerRegistryFixture>
{
    protected override string Host => registry.Host;
    protected override RegistryCredentials Credentials => registry.Credentials!;
}

public sealed class WeirRegistryAuthTests(AuthWeirRegistryFixture registry) : AuthTests, IClassFixture<AuthWeirRegistryFixture>
{
    protected override string Host => registry.Host;
    protected override RegistryCredentials Credentials => registry.Credentials!;
}
