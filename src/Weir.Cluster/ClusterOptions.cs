namespace Weir.Cluster;

/// <summary>How to run the embedded API server.</summary>
public sealed record ClusterOptions
{
    /// <summary>Directory holding the SQLite state file, the CA (pki/), tokens (auth/) and the admin kubeconfig.</summary>
    public required string DataDir { get; init; }

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The Kubernetes version reported by <c>/version</c> (its minor picks the gcloud kubectl dispatcher's binary).</summary>
    public string KubernetesVersion { get; init; } = Weir.Core.OpenApi.KubernetesOpenApi.ServerVersion;

    /// <summary>Change-log entries kept for resuming watches; older resourceVersions answer 410 Gone.</summary>
    public int RetainedChanges { get; init; } = 20000;

    /// <summary>Interval between watch bookmarks when the client allows them.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Serve aggregated discovery (apidiscovery.k8s.io v2/v2beta1) when asked; off forces the legacy fallback.</summary>
    public bool AggregatedDiscovery { get; init; } = true;

    /// <summary>Whether to write <c>DataDir/kubeconfig</c>.</summary>
    public bool WriteKubeconfig { get; init; } = true;

    /// <summary>The workload simulator (workloads become Available, Jobs complete, claims bind, Services get Endpoints); on by default.</summary>
    public Simulation.SimulatorOptions Simulator { get; init; } = new();
}
