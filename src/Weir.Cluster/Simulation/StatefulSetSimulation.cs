using System.Globalization;
using System.Text.Json.Nodes;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The StatefulSet controller: pods <c>NAME-0…NAME-N-1</c> labelled with their revision
/// (<c>controller-revision-hash</c> = <c>NAME-&lt;hash&gt;</c>), <c>statefulset.kubernetes.io/pod-name</c> and
/// <c>apps.kubernetes.io/pod-index</c>. With the default OrderedReady policy a pod is created only once the ones
/// before it are ready and scale-down removes the highest ordinal first, one at a time; Parallel does both at once. A
/// RollingUpdate replaces pods of an old revision from the highest ordinal down (above the partition), one at a time
/// once all are ready; OnDelete leaves them. The current revision catches up once every pod is updated and ready.
/// </summary>
internal sealed class StatefulSetSimulation(SimulationContext ctx)
{
    private const string RevisionLabel = "controller-revision-hash";

    public void Reconcile(ObjectKey key)
    {
        var sts = ctx.Get(ctx.StatefulSets, key);
        if (sts is null || Json.Deleting(sts))
        {
            return;
        }
        var replicas = (int)Json.Int(Json.At(sts, "spec", "replicas"), 1);
        var template = Json.At(sts, "spec", "template");
        var revision = $"{key.Name}-{PodTemplateHash.Of(template)}";
        var parallel = Json.Str(Json.At(sts, "spec", "podManagementPolicy")) == "Parallel";
        var pods = Pods(key, sts);
        var healthy = true;
        for (var ordinal = 0; ordinal < replicas; ordinal++)
        {
            if (!pods.TryGetValue(ordinal, out var pod))
            {
                ctx.CreatePod(key.Namespace, NewPod(sts, template, revision, ordinal));
                if (ctx.PodIndex.Find(key.Namespace, $"{key.Name}-{ordinal}") is { } created)
                {
                    pods[ordinal] = created;
                }
                healthy = false;
                if (!parallel)
                {
                    break;
                }
                continue;
            }
            if (!pod.Ready)
            {
                healthy = false;
                if (!parallel)
                {
                    break;
                }
            }
        }
        foreach (var (ordinal, pod) in pods.Where(p => p.Key >= replicas).OrderByDescending(p => p.Key).ToList())
        {
            if (!parallel && !healthy)
            {
                break;
            }
            ctx.DeletePod(pod);
            pods.Remove(ordinal);
            if (!parallel)
            {
                break;
            }
        }
        var strategy = Json.Str(Json.At(sts, "spec", "updateStrategy", "type"));
        if (healthy && strategy != "OnDelete" && pods.Count == replicas)
        {
            var partition = Json.Int(Json.At(sts, "spec", "updateStrategy", "rollingUpdate", "partition"));
            var stale = pods.Where(p => p.Key >= partition && p.Value.Label(RevisionLabel) != revision).OrderByDescending(p => p.Key).FirstOrDefault();
            if (stale.Value is { } old)
            {
                ctx.DeletePod(old);
                pods.Remove(stale.Key);
            }
        }

        var previous = sts["status"] as JsonObject;
        var currentRevision = Json.Str(previous?["currentRevision"]) is { Length: > 0 } c ? c : revision;
        var ready = pods.Values.Count(p => p.Ready);
        var updated = pods.Values.Count(p => p.Label(RevisionLabel) == revision);
        if (updated == pods.Count && ready == pods.Count && pods.Count == replicas)
        {
            currentRevision = revision;
        }
        var status = new JsonObject
        {
            ["observedGeneration"] = Json.Generation(sts),
            ["replicas"] = pods.Count,
        };
        Json.PutNonZero(status, "readyReplicas", ready);
        Json.PutNonZero(status, "currentReplicas", pods.Values.Count(p => p.Label(RevisionLabel) == currentRevision));
        Json.PutNonZero(status, "updatedReplicas", updated);
        status["currentRevision"] = currentRevision;
        status["updateRevision"] = revision;
        status["collisionCount"] = 0;
        Json.PutNonZero(status, "availableReplicas", ready);
        ctx.WriteStatus(ctx.StatefulSets, sts, status);
    }

    /// <summary>The active pods of the set by ordinal.</summary>
    private Dictionary<int, PodInfo> Pods(ObjectKey key, JsonObject sts)
    {
        var byOrdinal = new Dictionary<int, PodInfo>();
        foreach (var pod in ctx.PodIndex.ControlledBy(key.Namespace, "StatefulSet", key.Name, Json.Uid(sts)))
        {
            if (pod.Active && pod.Name.StartsWith(key.Name + "-", StringComparison.Ordinal)
                && int.TryParse(pod.Name.AsSpan(key.Name.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal))
            {
                byOrdinal[ordinal] = pod;
            }
        }
        return byOrdinal;
    }

    private JsonObject NewPod(JsonObject sts, JsonNode? template, string revision, int ordinal)
    {
        var name = $"{Json.Name(sts)}-{ordinal}";
        var index = ordinal.ToString(CultureInfo.InvariantCulture);
        var pod = PodFactory.Build(sts, template, name,
            [new(RevisionLabel, revision), new("statefulset.kubernetes.io/pod-name", name), new("apps.kubernetes.io/pod-index", index)],
            ctx.Options.NodeName);
        var spec = (JsonObject)pod["spec"]!;
        spec["hostname"] = name;
        if (Json.Str(Json.At(sts, "spec", "serviceName")) is { Length: > 0 } service)
        {
            spec["subdomain"] = service;
        }
        return pod;
    }
}
