using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Weir.Oci.Artifacts;
using Weir.Oci.Distribution;

namespace Weir.Oci.Tests;

/// <summary>
/// Retries, timeouts and cancellation. A small proxy in front of the real docker-registry
/// answers every other request with 503 or 429 (as an overloaded registry or a rate limiter
/// would); a listener that accepts and never answers stands for a hung registry.
/// </summary>
public sealed class ResilienceTests(DockerRegistryFixture registry) : IClassFixture<DockerRegistryFixture>
{
    private sealed class FlakyProxy : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _upstream = new();
        private int _requests;

        public int Injected;

        public string Host { get; }

        public FlakyProxy(string upstream)
        {
            var port = TestEnv.FreePort();
            Host = $"127.0.0.1:{port}";
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => { k.Listen(IPAddress.Loopback, port); k.Limits.MaxRequestBodySize = null; });
            _app = builder.Build();
            _app.Run(async ctx =>
            {
                var n = Interlocked.Increment(ref _requests);
                if (n % 2 == 1)
                {
                    Interlocked.Increment(ref Injected);
                    ctx.Response.StatusCode = n % 4 == 1 ? 503 : 429;
                    ctx.Response.Headers.RetryAfter = "0";
                    return;
                }
                await ForwardAsync(ctx, upstream);
            });
        }

        public Task StartAsync() => _app.StartAsync();

        private async Task ForwardAsync(HttpContext ctx, string upstream)
        {
            using var body = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(body);
            using var request = new HttpRequestMessage(new HttpMethod(ctx.Request.Method), $"http://{upstream}{ctx.Request.Path}{ctx.Request.QueryString}");
            if (body.Length > 0 || ctx.Request.Method is "PUT" or "PATCH" or "POST")
            {
                request.Content = new ByteArrayContent(body.ToArray());
            }
            foreach (var (name, values) in ctx.Request.Headers)
            {
                if (name is "Host" or "Content-Length" or "Transfer-Encoding")
                {
                    continue;
                }
                if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
                {
                    request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
                }
            }
            using var response = await _upstream.SendAsync(request);
            ctx.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (name is not ("Transfer-Encoding" or "Content-Length"))
                {
                    ctx.Response.Headers[name] = values.Select(v => v.Replace(upstream, Host)).ToArray();
                }
            }
            var bytes = await response.Content.ReadAsByteArrayAsync();
            if (ctx.Request.Method != "HEAD")
            {
                await ctx.Response.Body.WriteAsync(bytes);
            }
            else
            {
                ctx.Response.ContentLength = response.Content.Headers.ContentLength;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _app.DisposeAsync();
            _upstream.Dispose();
        }
    }

    [Fact]
    public async Task TransientFailuresAreRetriedWithBackoff()
    {
        await using var proxy = new FlakyProxy(registry.Host);
        await proxy.StartAsync();
        var client = new ArtifactClient(new RegistryClientOptions { Insecure = true, MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(10) });
        var pushed = await client.PushAsync(new OciReference(proxy.Host, "flaky/app", "v1"), TestEnv.SampleDir("flaky"), new ArtifactMetadata("s", "r"));
        var output = TestEnv.TempDir();
        var pulled = await client.PullAsync(new OciReference(proxy.Host, "flaky/app", "v1"), output);
        Assert.Equal($"v1@{pushed.Digest}", pulled.Revision);
        Assert.True(proxy.Injected >= 5, $"only {proxy.Injected} failures injected");
    }

    [Fact]
    public async Task WithoutRetriesTheServerErrorIsReported()
    {
        await using var proxy = new FlakyProxy(registry.Host);
        await proxy.StartAsync();
        using var client = new RegistryClient(proxy.Host, new RegistryClientOptions { Insecure = true, MaxRetries = 0 });
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.ListTagsAsync("flaky/none"));
        Assert.Equal(RegistryErrorKind.ServerError, e.Kind);
        Assert.Equal($"failed to list tags of {proxy.Host}/flaky/none: 503 Service Unavailable: registry error", e.Message);
    }

    [Fact]
    public async Task TheTotalTimeoutBoundsEveryRetryTogether()
    {
        using var frozen = new FrozenServer();
        using var client = new RegistryClient(frozen.Host, new RegistryClientOptions
        {
            Insecure = true,
            MaxRetries = 3,
            Timeout = TimeSpan.FromSeconds(1),
            TotalTimeout = TimeSpan.FromMilliseconds(1500),
        });
        var started = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.ListTagsAsync("hung/app"));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"gave up after {started.Elapsed}");
        Assert.Equal(RegistryErrorKind.Timeout, e.Kind);
        Assert.Equal($"failed to list tags of {frozen.Host}/hung/app: registry {frozen.Host} did not answer within 1.5s", e.Message);

        // Without it, each of the four attempts waits its own second, and the message says so.
        using var perRequest = new RegistryClient(frozen.Host, new RegistryClientOptions { Insecure = true, MaxRetries = 3, Timeout = TimeSpan.FromSeconds(1) });
        var each = await Assert.ThrowsAsync<RegistryException>(() => perRequest.ListTagsAsync("hung/app"));
        Assert.Equal($"failed to list tags of {frozen.Host}/hung/app: registry {frozen.Host} did not answer within 1s on any of 4 attempts", each.Message);
    }

    [Fact]
    public async Task HungRegistryTimesOutAndCancellationStopsTheCall()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var host = $"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        using var client = new RegistryClient(host, new RegistryClientOptions { Insecure = true, MaxRetries = 0, Timeout = TimeSpan.FromSeconds(1) });
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync("hung/app", "v1"));
        Assert.Equal(RegistryErrorKind.Timeout, e.Kind);
        Assert.Equal($"failed to get manifest 'v1' from {host}/hung/app: registry {host} did not answer within 1s", e.Message);

        using var patient = new RegistryClient(host, new RegistryClientOptions { Insecure = true, MaxRetries = 0, Timeout = TimeSpan.FromMinutes(5) });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patient.ListTagsAsync("hung/app", cts.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }
}
