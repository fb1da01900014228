using System.Text.Json.Nodes;
using k8s;
using Weir.Cluster;
using Weir.Core.Api.Crds;
using Weir.Runtime.Kube;
using Xunit;

namespace Weir.Testing;

/// <summary>
/// A fresh embedded API server on loopback (HTTPS, RBAC) with Weir's CRDs installed, reached with the real
/// KubernetesClient through the admin kubeconfig it writes.
/// </summary>
public sealed class EmbeddedCluster : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("weir-cluster-").FullName;

    public ClusterServer Server { get; private set; } = null!;

    public ResourceClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ClusterServer.StartAsync(new ClusterOptions { DataDir = _dataDir });
        Client = NewClient();
        foreach (var crd in CrdCatalog.All())
        {
            await Client.CreateAsync(KubeResource.CustomResourceDefinition, (JsonObject)crd.DeepClone());
        }

        await Client.CreateAsync(new KubeResource("", "v1", "namespaces", "Namespace", Namespaced: false),
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "flux-system" } });
    }

    /// <summary>The server's data directory (CA, tokens, users/NAME.kubeconfig).</summary>
    public string DataDir => _dataDir;

    /// <summary>A client as the admin (system:masters), or as the user of another kubeconfig (e.g. from ClusterUsers.Add).</summary>
    public ResourceClient NewClient(string? kubeconfig = null) =>
        new(new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig ?? Server.KubeconfigPath)));

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }
}
