using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Weir.Runtime.Http;

/// <summary>
/// A small Kestrel app bound to host:port (port 0 picks a free one) with framework logging off; returns the app and
/// the address it actually bound. Shared by the controllers' HTTP endpoints (artifacts, metrics).
/// </summary>
public static class SlimWebServer
{
    public static async Task<(WebApplication App, Uri Address)> StartAsync(
        string host, int port, Action<WebApplication> map, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{host}:{port}");
        var app = builder.Build();
        map(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            // e.g. the port is taken: nothing of this app may outlive the failure.
            await app.DisposeAsync();
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
    }
}
