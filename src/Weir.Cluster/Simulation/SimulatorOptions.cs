namespace Weir.Cluster.Simulation;

/// <summary>
/// The workload simulator stands in for the controllers and the kubelet of a real cluster: workloads get Pods that
/// become ready, Jobs complete, claims bind and Services get Endpoints, a little while after each change.
/// </summary>
public sealed record SimulatorOptions
{
    /// <summary>Whether the simulator runs at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How long simulated pods take to become ready (and Jobs to finish, claims to bind).</summary>
    public TimeSpan ReadyDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A Deployment's <c>spec.progressDeadlineSeconds</c> is multiplied by this (600 s becomes 6 s by default); the
    /// result is never shorter than twice <see cref="ReadyDelay"/>, so healthy rollouts never time out.
    /// </summary>
    public double ProgressDeadlineScale { get; init; } = 0.01;

    /// <summary>The one simulated node pods are "scheduled" to (DaemonSets schedule one pod).</summary>
    public string NodeName { get; init; } = "weir-node";

    /// <summary>The kubelet version the node reports (the server sets it to the Kubernetes version it serves).</summary>
    public string KubeletVersion { get; init; } = Weir.Core.OpenApi.KubernetesOpenApi.ServerVersion;
}
