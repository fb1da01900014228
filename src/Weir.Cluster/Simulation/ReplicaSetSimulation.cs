using System.Text.Json.Nodes;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The ReplicaSet controller plus its pods: scaling down is immediate, new pods become ready after the delay unless
/// their image is broken (then the kubelet's pull-failure events are recorded and they never become ready).
/// </summary>
internal sealed class ReplicaSetSimulation(SimulationContext ctx)
{
    public void Reconcile(ObjectKey key)
    {
        var rs = ctx.Get(ctx.ReplicaSets, key);
        if (rs is null || Json.Deleting(rs))
        {
            return;
        }
        var generation = Json.Generation(rs);
        var replicas = Json.Int(Json.At(rs, "spec", "replicas"), 1);
        var template = Json.At(rs, "spec", "template");
        var previouslyReady = Math.Min(Json.Int(Json.At(rs, "status", "readyReplicas")), replicas);
        long ready;
        if (replicas <= previouslyReady)
        {
            ready = replicas;
        }
        else if (!ctx.ReadyYet(key, $"{Json.Uid(rs)}:{generation}"))
        {
            ready = previouslyReady;
        }
        else if (BrokenImage.In(template) is { } broken)
        {
            ready = previouslyReady;
            ctx.ReportPullFailure(key, PodNames(key.Name, replicas), broken);
        }
        else
        {
            ready = replicas;
        }
        var status = new JsonObject { ["replicas"] = replicas };
        Json.PutNonZero(status, "fullyLabeledReplicas", replicas);
        Json.PutNonZero(status, "readyReplicas", ready);
        Json.PutNonZero(status, "availableReplicas", ready);
        status["observedGeneration"] = generation;
        if (ctx.WriteStatus(ctx.ReplicaSets, rs, status) && OwnedReplicaSets.ControllerOf(rs, "Deployment") is { } owner)
        {
            ctx.Requeue(new ObjectKey("apps", "deployments", key.Namespace, owner));
        }
    }

    /// <summary>Names of the (at most three) simulated pods reported on: <c>rs-name-xxxxx</c>.</summary>
    public static IEnumerable<string> PodNames(string replicaSet, long replicas) =>
        Enumerable.Range(0, (int)Math.Clamp(replicas, 0, 3)).Select(i => PodName(replicaSet, i));

    public static string PodName(string replicaSet, int index) => $"{replicaSet}-{PodTemplateHash.Suffix(replicaSet + "/" + index)}";
}
