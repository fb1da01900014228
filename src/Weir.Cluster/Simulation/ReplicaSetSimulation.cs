using System.Text.Json.Nodes;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The ReplicaSet controller: keeps <c>spec.replicas</c> pods (<c>NAME-xxxxx</c>, named by the server's generateName)
/// by creating missing ones and deleting surplus ones (not-ready and newest first, as Kubernetes ranks them), and
/// reports replicas, fullyLabeledReplicas, readyReplicas and availableReplicas from them.
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
        var replicas = Json.Int(Json.At(rs, "spec", "replicas"), 1);
        var pods = ctx.PodIndex.ControlledBy(key.Namespace, "ReplicaSet", key.Name, Json.Uid(rs)).Where(p => p.Active).ToList();
        if (pods.Count < replicas)
        {
            var template = Json.At(rs, "spec", "template");
            for (var i = pods.Count; i < replicas; i++)
            {
                ctx.CreatePod(key.Namespace, PodFactory.Build(rs, template, null, [], ctx.Options.NodeName));
            }
        }
        else if (pods.Count > replicas)
        {
            foreach (var pod in pods.OrderBy(p => p.Ready).ThenBy(p => p.Phase == "Running").ThenByDescending(p => p.Created, StringComparer.Ordinal)
                .ThenByDescending(p => p.ResourceVersion).Take(pods.Count - (int)replicas))
            {
                ctx.DeletePod(pod);
            }
        }
        pods = ctx.PodIndex.ControlledBy(key.Namespace, "ReplicaSet", key.Name, Json.Uid(rs)).Where(p => p.Active).ToList();
        var ready = pods.Count(p => p.Ready);
        var status = new JsonObject { ["replicas"] = pods.Count };
        Json.PutNonZero(status, "fullyLabeledReplicas", pods.Count);
        Json.PutNonZero(status, "readyReplicas", ready);
        Json.PutNonZero(status, "availableReplicas", ready);
        status["observedGeneration"] = Json.Generation(rs);
        if (ctx.WriteStatus(ctx.ReplicaSets, rs, status) is not null && OwnedReplicaSets.ControllerOf(rs, "Deployment") is { } owner)
        {
            ctx.Requeue(new ObjectKey("apps", "deployments", key.Namespace, owner));
        }
    }
}
