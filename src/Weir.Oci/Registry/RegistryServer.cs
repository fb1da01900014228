using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Weir.Oci.Auth;

namespace Weir.Oci.Registry;

/// <summary>Where and how the embedded registry serves.</summary>
public sealed record RegistryServerOptions
{
    /// <summary>Directory of the content-addressed store (created if missing).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Address to bind; loopback by default.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Port to bind; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>When set, every request must carry these Basic credentials.</summary>
    public RegistryCredentials? BasicAuth { get; init; }
}

/// <summary>
/// The embedded OCI registry: distribution-spec pull and push (monolithic, chunked,
/// cross-repository mount), tag listing with pagination, manifest and blob delete, and the
/// referrers API, over plain HTTP on the given address.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RegistryServer(WebApplication app, string host)
    {
        _app = app;
        Host = host;
    }

    /// <summary>host:port the registry listens on (what goes after <c>oci://</c>).</summary>
    public string Host { get; }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:5000</c>.</summary>
    public Uri Address => new($"http://{Host}");

    /// <summary>Starts serving and returns once the port is bound.</summary>
    public static async Task<RegistryServer> StartAsync(RegistryServerOptions options, CancellationToken ct = default)
    {
        var store = new RegistryStore(options.DataDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.AddServerHeader = false;
            k.Listen(options.BindAddress, options.Port);
        });
        var app = builder.Build();
        var api = new RegistryApi(store, options);
        app.Map("/v2", api.HandleAsync);
        app.Map("/v2/{**rest}", api.HandleAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RegistryServer(app, new Uri(address).Authority);
    }

    /// <summary>Stops serving.</summary>
    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
