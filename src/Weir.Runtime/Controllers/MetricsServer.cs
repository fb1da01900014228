using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Weir.Runtime.Http;

namespace Weir.Runtime.Controllers;

/// <summary>Serves <c>/metrics</c> (Prometheus text) and <c>/healthz</c>, <c>/readyz</c> for a controller process.</summary>
public sealed class MetricsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetricsServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<MetricsServer> StartAsync(ControllerMetrics metrics, string host = "127.0.0.1", int port = 0, CancellationToken cancellationToken = default)
    {
        var (app, address) = await SlimWebServer.StartAsync(host, port, app =>
        {
            app.MapGet("/metrics", async (HttpContext context) =>
            {
                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await context.Response.WriteAsync(await metrics.ExportAsync(context.RequestAborted));
            });
            app.MapGet("/healthz", () => "ok");
            app.MapGet("/readyz", () => "ok");
        }, cancellationToken);
        return new MetricsServer(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
