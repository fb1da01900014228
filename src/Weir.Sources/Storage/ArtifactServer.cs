using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Weir.Runtime.Http;

namespace Weir.Sources.Storage;

/// <summary>
/// Serves stored artifacts over HTTP with Flux's URL layout (<c>/ocirepository/NS/NAME/HEX.tar.gz</c>), so the
/// Kustomization and HelmRelease reconcilers download them exactly as they would from source-controller.
/// </summary>
public sealed class ArtifactServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ArtifactServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The base address artifact URLs start with, e.g. <c>http://127.0.0.1:9090/</c>.</summary>
    public Uri Address { get; }

    public string UrlFor(string relativePath) => new Uri(Address, relativePath).ToString();

    /// <summary>
    /// Starts on the port remembered in <paramref name="portFile"/> so artifact URLs written before a restart stay
    /// valid; a port that is gone (taken, or nothing remembered yet) is replaced by a free one, which is remembered
    /// for the next start. Sources point their stored URLs at a changed address when they next reconcile.
    /// </summary>
    public static async Task<ArtifactServer> StartWithRememberedPortAsync(
        ArtifactStore store, string host, string portFile, CancellationToken cancellationToken = default)
    {
        ArtifactServer? server = null;
        if (File.Exists(portFile) && int.TryParse(File.ReadAllText(portFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var remembered)
            && remembered is > 0 and <= IPEndPoint.MaxPort)
        {
            try
            {
                server = await StartAsync(store, host, remembered, cancellationToken);
            }
            catch (IOException)
            {
                // Taken by another process since: a fresh port below.
            }
        }

        server ??= await StartAsync(store, host, 0, cancellationToken);
        await File.WriteAllTextAsync(portFile, server.Address.Port.ToString(CultureInfo.InvariantCulture), cancellationToken);
        return server;
    }

    public static async Task<ArtifactServer> StartAsync(ArtifactStore store, string host = "127.0.0.1", int port = 0, CancellationToken cancellationToken = default)
    {
        var (app, address) = await SlimWebServer.StartAsync(host, port, app =>
        {
            app.MapMethods("/{**path}", ["GET", "HEAD"], (string path, HttpContext context) =>
            {
                if (!ArtifactStore.IsArtifactFile(path))
                {
                    return Results.NotFound();
                }

                string full;
                try
                {
                    full = store.FullPath(path);
                }
                catch (ArgumentException)
                {
                    return Results.NotFound();
                }

                if (Path.GetFileName(full) == ArtifactStore.LatestAlias)
                {
                    full = store.ResolveLatest(path) ?? full;
                }

                var contentType = full.EndsWith(".yaml", StringComparison.Ordinal) ? "application/x-yaml" : "application/gzip";
                return File.Exists(full) ? Results.File(full, contentType, enableRangeProcessing: false) : Results.NotFound();
            });
        }, cancellationToken);
        return new ArtifactServer(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
