using System.Text.Json.Nodes;
using Weir.Runtime.Kube;
using Weir.Sources.Tests.OciRepositories;
using Weir.Testing;

namespace Weir.Sources.Tests.Connections;

/// <summary>
/// <c>proxySecretRef</c> of GitRepositories and Buckets through a real proxy (tinyproxy, whose log shows the requests
/// it forwarded), and a Bucket over HTTPS (s3rver with its own certificate) trusted through <c>certSecretRef</c>.
/// </summary>
public sealed class ProxyAndTlsTests(SourceControllerHarness harness, GitServerFixture git, S3ServerFixture s3, ProxyServerFixture proxy)
    : IClassFixture<SourceControllerHarness>, IClassFixture<GitServerFixture>, IClassFixture<S3ServerFixture>, IClassFixture<ProxyServerFixture>
{
    private static bool IsTrue(JsonObject c) => c["status"]!.GetValue<string>() == "True";

    private static bool IsFalse(JsonObject c) => c["status"]!.GetValue<string>() == "False";

    private static string Message(JsonObject c) => c["message"]!.GetValue<string>();

    [Fact]
    public async Task AGitRepositoryFetchesThroughItsProxyAndAWrongProxyFailsClearly()
    {
        var repo = await git.CreateRepositoryAsync("proxied");
        var head = await repo.CommitAsync(new Dictionary<string, string?> { ["app.yaml"] = "proxied: true\n" });
        var down = $"http://127.0.0.1:{TestEnv.FreePort()}";
        await harness.CreateSecretAsync("git-proxy", ("address", proxy.Address), ("username", proxy.Username), ("password", proxy.Password));
        await harness.CreateSecretAsync("git-proxy-down", ("address", down));
        await harness.CreateSecretAsync("git-proxy-wrong", ("address", proxy.Address), ("username", proxy.Username), ("password", "wrong-proxy-pw-0815"));
        var url = git.AnonymousUrl("proxied");
        await CreateAsync(KubeResource.GitRepository, "git-proxied", new JsonObject { ["url"] = url, ["ref"] = new JsonObject { ["branch"] = "main" }, ["proxySecretRef"] = Ref("git-proxy") });
        await CreateAsync(KubeResource.GitRepository, "git-proxy-down", new JsonObject { ["url"] = url, ["ref"] = new JsonObject { ["branch"] = "main" }, ["proxySecretRef"] = Ref("git-proxy-down") });
        await CreateAsync(KubeResource.GitRepository, "git-proxy-wrong", new JsonObject { ["url"] = url, ["ref"] = new JsonObject { ["branch"] = "main" }, ["proxySecretRef"] = Ref("git-proxy-wrong") });

        Assert.Equal($"stored artifact for revision 'main@sha1:{head}'", Message(await harness.WaitForReadyAsync("git-proxied", IsTrue, resource: KubeResource.GitRepository)));
        Assert.Contains(proxy.Requests(), r => r.StartsWith($"GET {url}/info/refs", StringComparison.Ordinal));

        var unreachable = await harness.WaitForReadyAsync("git-proxy-down", IsFalse, resource: KubeResource.GitRepository);
        var prefix = $"failed to checkout and determine revision: unable to clone '{url}': ";
        Assert.StartsWith($"{prefix}unable to access '{url}/': Failed to connect to 127.0.0.1 port {new Uri(down).Port} ", Message(unreachable));
        Assert.EndsWith($"Couldn't connect to server (through the proxy '{down}')", Message(unreachable));
        var refused = await harness.WaitForReadyAsync("git-proxy-wrong", IsFalse, resource: KubeResource.GitRepository);
        Assert.Equal($"{prefix}authentication required (through the proxy '{proxy.Address}')", Message(refused));
        Assert.DoesNotContain("wrong-proxy-pw-0815", await harness.EverythingAboutAsync(KubeResource.GitRepository, "git-proxy-wrong"));
    }

    [Fact]
    public async Task ABucketIsListedThroughItsProxyAndAWrongProxyFailsClearly()
    {
        await s3.CreateBucketAsync("proxied-bucket");
        await s3.PutAsync("proxied-bucket", "app.yaml", "proxied: true\n");
        var down = $"http://127.0.0.1:{TestEnv.FreePort()}";
        await harness.CreateSecretAsync("s3-proxy", ("address", proxy.Address), ("username", proxy.Username), ("password", proxy.Password));
        await harness.CreateSecretAsync("s3-proxy-down", ("address", down));
        await CreateBucketAsync("bucket-proxied", s3.Endpoint, new JsonObject { ["insecure"] = true, ["proxySecretRef"] = Ref("s3-proxy") });
        await CreateBucketAsync("bucket-proxy-down", s3.Endpoint, new JsonObject { ["insecure"] = true, ["proxySecretRef"] = Ref("s3-proxy-down"), ["timeout"] = "10s" });

        Assert.StartsWith("stored artifact: revision 'sha256:", Message(await harness.WaitForReadyAsync("bucket-proxied", IsTrue, resource: KubeResource.Bucket)));
        Assert.Contains(proxy.Requests(), r => r.StartsWith($"GET http://{s3.Endpoint}/proxied-bucket", StringComparison.Ordinal));
        var unreachable = await harness.WaitForReadyAsync("bucket-proxy-down", IsFalse, resource: KubeResource.Bucket);
        Assert.Equal($"failed to confirm existence of 'proxied-bucket' bucket: Connection refused (127.0.0.1:{new Uri(down).Port}) (through the proxy '{down}')",
            Message(unreachable));
    }

    [Fact]
    public async Task ABucketOverHttpsTrustsTheCaOfItsCertSecretAndFailsWithoutIt()
    {
        await s3.CreateBucketAsync("tls-bucket");
        await s3.PutAsync("tls-bucket", "app.yaml", "tls: true\n");
        var (endpoint, ca) = await s3.TlsAsync();
        await harness.CreateSecretAsync("s3-ca", ("ca.crt", ca));
        await CreateBucketAsync("bucket-tls", endpoint, new JsonObject { ["certSecretRef"] = Ref("s3-ca") });
        await CreateBucketAsync("bucket-tls-noca", endpoint, new JsonObject { ["timeout"] = "10s" });

        var ready = await harness.WaitForReadyAsync("bucket-tls", IsTrue, resource: KubeResource.Bucket);
        Assert.StartsWith("stored artifact: revision 'sha256:", Message(ready));
        var files = await SourceControllerHarness.DownloadAsync((await harness.GetAsync("bucket-tls", KubeResource.Bucket))["status"]!["artifact"]!);
        Assert.Equal("tls: true\n", files["app.yaml"]);
        var untrusted = await harness.WaitForReadyAsync("bucket-tls-noca", IsFalse, resource: KubeResource.Bucket);
        Assert.Equal("failed to confirm existence of 'tls-bucket' bucket: TLS handshake failed: "
            + "The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot", Message(untrusted));
    }

    private static JsonObject Ref(string name) => new() { ["name"] = name };

    private async Task CreateBucketAsync(string name, string endpoint, JsonObject extra)
    {
        if (await harness.Client.GetAsync(KubeResource.Secret, new Core.Objects.ObjectKey("flux-system", "s3-keys")) is null)
        {
            await harness.CreateSecretAsync("s3-keys", ("accesskey", s3.AccessKey), ("secretkey", s3.SecretKey));
        }

        var spec = new JsonObject { ["endpoint"] = endpoint, ["bucketName"] = name.StartsWith("bucket-tls", StringComparison.Ordinal) ? "tls-bucket" : "proxied-bucket", ["secretRef"] = Ref("s3-keys") };
        foreach (var (k, v) in extra)
        {
            spec[k] = v?.DeepClone();
        }

        await CreateAsync(KubeResource.Bucket, name, spec);
    }

    private Task<JsonObject> CreateAsync(KubeResource resource, string name, JsonObject spec)
    {
        spec["interval"] = "10m";
        return harness.Client.CreateAsync(resource, new JsonObject
        {
            ["apiVersion"] = resource.ApiVersion,
            ["kind"] = resource.Kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
            ["spec"] = spec,
        });
    }
}
