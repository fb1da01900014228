using System.Text.Json.Nodes;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The persistent-volume binder with a dynamic provisioner: a claim is Pending, then after the delay is bound to a
/// volume <c>pvc-&lt;uid&gt;</c> with the requested capacity and access modes.
/// </summary>
internal sealed class ClaimSimulation(SimulationContext ctx)
{
    public void Reconcile(ObjectKey key)
    {
        var pvc = ctx.Get(ctx.Claims, key);
        if (pvc is null || Json.Deleting(pvc) || Json.Str(Json.At(pvc, "status", "phase")) == "Bound")
        {
            return;
        }
        if (!ctx.ReadyYet(key, Json.Uid(pvc)))
        {
            ctx.WriteStatus(ctx.Claims, pvc, new JsonObject { ["phase"] = "Pending" });
            return;
        }
        var volume = Json.Str(Json.At(pvc, "spec", "volumeName")) is { Length: > 0 } v ? v : "pvc-" + Json.Uid(pvc);
        if (Json.Str(Json.At(pvc, "spec", "volumeName")) == "" || Json.At(pvc, "metadata", "annotations", "pv.kubernetes.io/bind-completed") is null)
        {
            var body = (JsonObject)pvc.DeepClone();
            ((JsonObject)body["spec"]!)["volumeName"] = volume;
            var annotations = Json.Child((JsonObject)body["metadata"]!, "annotations");
            annotations["pv.kubernetes.io/bind-completed"] = "yes";
            annotations["pv.kubernetes.io/bound-by-controller"] = "yes";
            pvc = ctx.Update(ctx.Claims, body);
        }
        var status = new JsonObject { ["phase"] = "Bound" };
        if (Json.At(pvc, "spec", "accessModes") is JsonArray modes)
        {
            status["accessModes"] = modes.DeepClone();
        }
        if (Json.At(pvc, "spec", "resources", "requests", "storage") is { } storage)
        {
            status["capacity"] = new JsonObject { ["storage"] = storage.DeepClone() };
        }
        ctx.WriteStatus(ctx.Claims, pvc, status);
    }
}
