using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Weir.Cluster.Api;
using Weir.Cluster.Auth;
using Weir.Cluster.Http;
using Weir.Cluster.Simulation;
using Weir.Cluster.Storage;

namespace Weir.Cluster;

/// <summary>
/// The embedded, control-plane-only Kubernetes API server: Kestrel over HTTPS on 127.0.0.1 over one SQLite state file,
/// with bearer-token authentication and RBAC (see <see cref="ClusterSecurity"/>).
/// Start it with <see cref="StartAsync"/>; dispose to stop.
/// </summary>
public sealed class ClusterServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ObjectStore _store;
    private readonly CancellationTokenSource _stopping;

    private ClusterServer(WebApplication app, ObjectStore store, CancellationTokenSource stopping, Uri address, string? kubeconfigPath, X509Certificate2 ca, string adminToken)
    {
        CaCertificate = ca;
        AdminToken = adminToken;
        _app = app;
        _stopping = stopping;
        _store = store;
        Address = address;
        KubeconfigPath = kubeconfigPath;
    }

    /// <summary>Base address, e.g. https://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    /// <summary>The CA that signed the serving certificate (also in the kubeconfig as certificate-authority-data).</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary>The bearer token of the admin user (group system:masters).</summary>
    public string AdminToken { get; }

    /// <summary>A raw HTTP client trusting the CA; sends the admin token unless another (or null: none) is given.</summary>
    public HttpClient CreateHttpClient(string? token = "") => ClusterClients.Create(Address, CaCertificate, token == "" ? AdminToken : token);

    /// <summary>Where the kubeconfig was written, if it was.</summary>
    public string? KubeconfigPath { get; }

    private GarbageCollector? _garbageCollector;

    /// <summary>The registry behind the HTTP API (for in-process tests and benchmarks).</summary>
    internal GenericRegistry Registry { get; private set; } = null!;

    /// <summary>The workload simulator, when enabled.</summary>
    public WorkloadSimulator? Simulator { get; private set; }

    public static async Task<ClusterServer> StartAsync(ClusterOptions options, CancellationToken cancellationToken = default)
    {
        var store = new ObjectStore(options.DataDir, options.RetainedChanges);
        var registry = new GenericRegistry(store, new ResourceCatalog());
        registry.LoadCrds();
        SeedNamespaces(registry);
        BootstrapPolicy.Apply(registry);
        ClusterUsers.ApplyPending(options.DataDir, registry);
        using var pki = ClusterPki.LoadOrCreate(options.DataDir);
        var adminToken = ClusterClients.AdminToken(options.DataDir);
        var serving = pki.IssueServingCertificate();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port, listen => listen.UseHttps(serving));
            k.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
        });
        var app = builder.Build();
        var stopping = new CancellationTokenSource();
        var handler = new ApiHandler(registry, options, new ClusterSecurity(options.DataDir, registry), stopping.Token);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/");
        var kubeconfig = options.WriteKubeconfig ? Kubeconfig.Write(options.DataDir, address, pki.CaPem, adminToken) : null;
        var server = new ClusterServer(app, store, stopping, address, kubeconfig, pki.CaCertificate, adminToken);
        var namespaces = new NamespaceController(registry, server._stopping.Token);
        namespaces.ResumePending();
        server.Registry = registry;
        server._garbageCollector = GarbageCollector.Start(registry, stopping.Token);
        server.Simulator = options.Simulator.Enabled ? WorkloadSimulator.Start(registry, options.Simulator with { KubeletVersion = options.KubernetesVersion }, stopping.Token) : null;
        return server;
    }

    private static void SeedNamespaces(GenericRegistry registry)
    {
        var nsType = registry.Catalog.Find("", "v1", "namespaces")!;
        foreach (var name in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            if (registry.TryGet(nsType, null, name) is null)
            {
                registry.Create(nsType, null, new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name } },
                    new WriteOptions { FieldManager = "weir-cluster" });
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (Simulator is not null)
        {
            await Simulator.StopAsync();
        }
        if (_garbageCollector is not null)
        {
            await _garbageCollector.StopAsync();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
        _store.Dispose();
        CaCertificate.Dispose();
        _stopping.Dispose();
    }
}
