using System.Text.Json.Nodes;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The StatefulSet controller plus its pods <c>name-0…name-N-1</c>: a new template gets a new update revision, and
/// once the pods are "ready" the current revision catches up. Broken images keep the new pods from becoming ready.
/// </summary>
internal sealed class StatefulSetSimulation(SimulationContext ctx)
{
    public void Reconcile(ObjectKey key)
    {
        var sts = ctx.Get(ctx.StatefulSets, key);
        if (sts is null || Json.Deleting(sts))
        {
            return;
        }
        var replicas = Json.Int(Json.At(sts, "spec", "replicas"), 1);
        var template = Json.At(sts, "spec", "template");
        var revision = $"{key.Name}-{PodTemplateHash.Of(template)}";
        var old = sts["status"] as JsonObject;
        var currentRevision = Json.Str(old?["currentRevision"]) is { Length: > 0 } c ? c : revision;
        var previouslyReady = Math.Min(Json.Int(old?["readyReplicas"]), replicas);
        var sameRevision = currentRevision == revision;
        var done = false;
        if (sameRevision && replicas <= previouslyReady)
        {
            done = true;
        }
        else if (ctx.ReadyYet(key, $"{Json.Uid(sts)}:{Json.Generation(sts)}"))
        {
            if (BrokenImage.In(template) is { } broken)
            {
                var first = sameRevision ? previouslyReady : replicas - 1;
                ctx.ReportPullFailure(key, Enumerable.Range((int)Math.Max(0, first), (int)Math.Min(3, replicas - Math.Max(0, first))).Select(i => $"{key.Name}-{i}"), broken);
            }
            else
            {
                done = true;
            }
        }
        var ready = done ? replicas : previouslyReady;
        var status = new JsonObject
        {
            ["observedGeneration"] = Json.Generation(sts),
            ["replicas"] = replicas,
        };
        Json.PutNonZero(status, "readyReplicas", ready);
        Json.PutNonZero(status, "currentReplicas", done || sameRevision ? ready : previouslyReady);
        Json.PutNonZero(status, "updatedReplicas", done || sameRevision ? ready : 0);
        status["currentRevision"] = done ? revision : currentRevision;
        status["updateRevision"] = revision;
        status["collisionCount"] = 0;
        Json.PutNonZero(status, "availableReplicas", ready);
        ctx.WriteStatus(ctx.StatefulSets, sts, status);
    }
}
