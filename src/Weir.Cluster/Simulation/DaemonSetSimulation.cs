using System.Text.Json.Nodes;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>The DaemonSet controller on a one-node cluster: one pod, ready after the delay unless its image is broken.</summary>
internal sealed class DaemonSetSimulation(SimulationContext ctx)
{
    public void Reconcile(ObjectKey key)
    {
        var ds = ctx.Get(ctx.DaemonSets, key);
        if (ds is null || Json.Deleting(ds))
        {
            return;
        }
        var template = Json.At(ds, "spec", "template");
        var hash = PodTemplateHash.Of(template);
        var old = ds["status"] as JsonObject;
        var sameTemplate = Json.Int(old?["observedGeneration"]) == Json.Generation(ds) && Json.Int(old?["updatedNumberScheduled"]) == 1;
        var ready = sameTemplate ? Json.Int(old?["numberReady"]) : 0;
        var updated = sameTemplate ? 1 : 0;
        if (!sameTemplate && ctx.ReadyYet(key, $"{Json.Uid(ds)}:{Json.Generation(ds)}"))
        {
            updated = 1;
            if (BrokenImage.In(template) is { } broken)
            {
                ctx.ReportPullFailure(key, [$"{key.Name}-{PodTemplateHash.Suffix(hash)}"], broken);
            }
            else
            {
                ready = 1;
            }
        }
        else if (!sameTemplate)
        {
            ready = Math.Min(1, Json.Int(old?["numberReady"]));
        }
        var status = new JsonObject
        {
            ["currentNumberScheduled"] = 1,
            ["numberMisscheduled"] = 0,
            ["desiredNumberScheduled"] = 1,
            ["numberReady"] = ready,
            ["observedGeneration"] = Json.Generation(ds),
        };
        Json.PutNonZero(status, "updatedNumberScheduled", updated);
        Json.PutNonZero(status, "numberAvailable", ready);
        Json.PutNonZero(status, "numberUnavailable", 1 - ready);
        ctx.WriteStatus(ctx.DaemonSets, ds, status);
    }
}
