using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Weir.Testing;

namespace Weir.Sources.Tests.OciRepositories;

/// <summary>A hostile registry whose manifest content does not have the digest it advertises.</summary>
public sealed class TamperedManifestTests(SourceControllerHarness harness) : IClassFixture<SourceControllerHarness>, IAsyncLifetime
{
    private WebApplication? _registry;
    private string _host = "";

    public async Task InitializeAsync()
    {
        const string advertised = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.cncf.flux.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}""";
        const string served = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.cncf.flux.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[],"annotations":{"evil":"yes"}}""";
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(advertised)));
        var port = TestEnv.FreePort();
        _host = $"127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{_host}");
        _registry = builder.Build();
        _registry.MapGet("/v2/", () => Results.Ok());
        _registry.MapMethods("/v2/lying/manifests/{reference}", ["GET", "HEAD"], (HttpContext context) =>
        {
            context.Response.Headers["Docker-Content-Digest"] = digest;
            context.Response.ContentType = "application/vnd.oci.image.manifest.v1+json";
            var body = Encoding.UTF8.GetBytes(served);
            context.Response.ContentLength = body.Length;
            return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(body).AsTask();
        });
        await _registry.StartAsync();
    }

    public async Task DisposeAsync() => await _registry!.DisposeAsync();

    [Fact]
    public async Task AManifestWhoseDigestDoesNotMatchIsRefusedAndNothingIsStored()
    {
        await harness.CreateRepositoryAsync("lying", $"oci://{_host}/lying", new JsonObject { ["tag"] = "v1" });
        var failed = await harness.WaitForReadyAsync("lying", c => c["status"]!.GetValue<string>() == "False");
        var message = failed["message"]!.GetValue<string>();
        Assert.StartsWith($"failed to pull artifact from 'oci://{_host}/lying': ", message);
        Assert.Contains("does not match the requested digest", message);
        Assert.Null((await harness.GetAsync("lying"))["status"]!["artifact"]);
        Assert.False(Directory.Exists(Path.Combine(harness.Store.Root, "ocirepository", "flux-system", "lying"))
            && Directory.EnumerateFiles(Path.Combine(harness.Store.Root, "ocirepository", "flux-system", "lying"), "*.tar.gz").Any());
    }
}
