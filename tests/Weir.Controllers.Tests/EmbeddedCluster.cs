using k8s;
using Weir.Cluster;
using Weir.Controllers.Kube;

namespace Weir.Controllers.Tests;

/// <summary>A fresh embedded API server on loopback, reached with the real KubernetesClient from its kubeconfig.</summary>
public sealed class EmbeddedCluster : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("weir-ctl-").FullName;

    public ClusterServer Server { get; private set; } = null!;

    public ResourceClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ClusterServer.StartAsync(new ClusterOptions { DataDir = _dataDir });
        Client = NewClient();
    }

    public ResourceClient NewClient() =>
        new(new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath)));

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }
}
