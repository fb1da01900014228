using System.Globalization;
using System.Text.Json.Nodes;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The DaemonSet controller on a one-node cluster: one pod <c>NAME-xxxxx</c> on the node when the template's
/// nodeSelector admits it, labelled <c>controller-revision-hash</c> and <c>pod-template-generation</c>; a new template
/// replaces it (RollingUpdate: the old pod goes, then the new one comes; OnDelete: only once it is deleted).
/// </summary>
internal sealed class DaemonSetSimulation(SimulationContext ctx, NodeSimulation node)
{
    private const string RevisionLabel = "controller-revision-hash";

    public void Reconcile(ObjectKey key)
    {
        var ds = ctx.Get(ctx.DaemonSets, key);
        if (ds is null || Json.Deleting(ds))
        {
            return;
        }
        var template = Json.At(ds, "spec", "template");
        var hash = PodTemplateHash.Of(template);
        var desired = node.Admits(template) ? 1 : 0;
        var pods = ctx.PodIndex.ControlledBy(key.Namespace, "DaemonSet", key.Name, Json.Uid(ds)).Where(p => p.Active).ToList();
        var onDelete = Json.Str(Json.At(ds, "spec", "updateStrategy", "type")) == "OnDelete";
        foreach (var pod in pods.Skip(desired).Concat(pods.Take(desired).Where(p => !onDelete && p.Label(RevisionLabel) != hash)).ToList())
        {
            ctx.DeletePod(pod);
            pods.Remove(pod);
        }
        if (pods.Count < desired)
        {
            var created = ctx.CreatePod(key.Namespace, PodFactory.Build(ds, template, null,
                [new(RevisionLabel, hash), new("pod-template-generation", Json.Generation(ds).ToString(CultureInfo.InvariantCulture))],
                ctx.Options.NodeName));
            if (ctx.PodIndex.Find(key.Namespace, Json.Name(created)) is { } info)
            {
                pods.Add(info);
            }
        }
        var ready = pods.Count(p => p.Ready);
        var status = new JsonObject
        {
            ["currentNumberScheduled"] = pods.Count,
            ["numberMisscheduled"] = 0,
            ["desiredNumberScheduled"] = desired,
            ["numberReady"] = ready,
            ["observedGeneration"] = Json.Generation(ds),
        };
        Json.PutNonZero(status, "updatedNumberScheduled", pods.Count(p => p.Label(RevisionLabel) == hash));
        Json.PutNonZero(status, "numberAvailable", ready);
        Json.PutNonZero(status, "numberUnavailable", desired - ready);
        ctx.WriteStatus(ctx.DaemonSets, ds, status);
    }
}
