using System.Globalization;
using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The Deployment controller: one ReplicaSet per pod template (<c>name-hash</c>, owned by the Deployment), old ones
/// scaled to zero once the new one is available, history trimmed to <c>revisionHistoryLimit</c>, and the status and
/// Available/Progressing conditions computed from the ReplicaSets as Kubernetes does, including
/// ProgressDeadlineExceeded when the new ReplicaSet does not become available in time.
/// </summary>
internal sealed class DeploymentSimulation(SimulationContext ctx, OwnedReplicaSets owned)
{
    private const string Component = "deployment-controller";
    private const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    public void Reconcile(ObjectKey key)
    {
        var d = ctx.Get(ctx.Deployments, key);
        if (d is null || Json.Deleting(d))
        {
            return;
        }
        var ns = key.Namespace;
        var uid = Json.Uid(d);
        var spec = d["spec"] as JsonObject ?? [];
        var replicas = Json.Int(spec["replicas"], 1);
        var hash = PodTemplateHash.Of(spec["template"]);
        var newName = $"{key.Name}-{hash}";
        var sets = owned.Of(ns, key.Name)
            .Select(n => ctx.Get(ctx.ReplicaSets, new ObjectKey("apps", "replicasets", ns, n)))
            .OfType<JsonObject>()
            .Where(rs => OwnedReplicaSets.ControllerUid(rs) == uid && !Json.Deleting(rs))
            .ToList();
        var newRs = sets.FirstOrDefault(rs => Json.Name(rs) == newName);
        var olds = sets.Where(rs => !ReferenceEquals(rs, newRs)).ToList();
        var created = false;
        if (newRs is null)
        {
            var revision = olds.Select(Revision).DefaultIfEmpty(0).Max() + 1;
            newRs = CreateReplicaSet(d, newName, hash, replicas, revision);
            d = SetRevision(d, revision);
            created = true;
        }
        else if (Json.Int(Json.At(newRs, "spec", "replicas"), 1) != replicas)
        {
            newRs = Scale(d, newRs, replicas);
        }

        var newStatus = newRs["status"];
        var newReplicas = Json.Int(Json.At(newStatus, "replicas"));
        var newAvailable = Json.Int(Json.At(newStatus, "availableReplicas"));
        var newObserved = Json.Int(Json.At(newStatus, "observedGeneration")) == Json.Generation(newRs);
        if (newObserved && newReplicas == replicas && newAvailable >= replicas)
        {
            for (var i = 0; i < olds.Count; i++)
            {
                if (Json.Int(Json.At(olds[i], "spec", "replicas"), 1) > 0)
                {
                    olds[i] = Scale(d, olds[i], 0);
                }
            }
            TrimHistory(olds, Json.Int(spec["revisionHistoryLimit"], 10));
        }

        long total = 0, ready = 0, available = 0;
        foreach (var rs in olds.Append(newRs))
        {
            total += Json.Int(Json.At(rs, "status", "replicas"));
            ready += Json.Int(Json.At(rs, "status", "readyReplicas"));
            available += Json.Int(Json.At(rs, "status", "availableReplicas"));
        }
        var status = new JsonObject { ["observedGeneration"] = Json.Generation(d) };
        Json.PutNonZero(status, "replicas", total);
        Json.PutNonZero(status, "updatedReplicas", newReplicas);
        Json.PutNonZero(status, "readyReplicas", ready);
        Json.PutNonZero(status, "availableReplicas", available);
        Json.PutNonZero(status, "unavailableReplicas", Math.Max(0, replicas - available));
        if (d["status"]?["conditions"] is JsonArray existing)
        {
            status["conditions"] = existing.DeepClone();
        }
        var now = GenericRegistry.Now();
        if (available >= replicas - MaxUnavailable(spec, replicas))
        {
            StatusConditions.Set(status, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now);
        }
        else
        {
            StatusConditions.Set(status, "Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now);
        }
        SetProgressing(key, d, status, newName, created, newObserved && newReplicas == replicas && total == replicas && available >= replicas, now);
        ctx.WriteStatus(ctx.Deployments, d, status);
    }

    private void SetProgressing(ObjectKey key, JsonObject d, JsonObject status, string newName, bool created, bool complete, string now)
    {
        if (complete)
        {
            StatusConditions.Set(status, "Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{newName}\" has successfully progressed.", now);
            return;
        }
        var timedOutMessage = $"ReplicaSet \"{newName}\" has timed out progressing.";
        var current = StatusConditions.Find(status, "Progressing");
        var since = ctx.Since(key, $"{Json.Uid(d)}:{Json.Generation(d)}");
        var deadline = Deadline(d);
        var latched = current is not null && Json.Str(current["reason"]) == "ProgressDeadlineExceeded" && Json.Str(current["message"]) == timedOutMessage;
        if (latched || (deadline is { } limit && SimulationContext.Now >= since + limit))
        {
            StatusConditions.Set(status, "Progressing", "False", "ProgressDeadlineExceeded", timedOutMessage, now);
            return;
        }
        if (created)
        {
            StatusConditions.Set(status, "Progressing", "True", "NewReplicaSetCreated", $"Created new replica set \"{newName}\"", now);
        }
        else
        {
            StatusConditions.Set(status, "Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{newName}\" is progressing.", now);
        }
        if (deadline is { } d2)
        {
            ctx.Schedule(key, since + d2);
        }
    }

    /// <summary>The simulated progress deadline: <c>progressDeadlineSeconds</c> scaled down, but never under twice the ready delay.</summary>
    private TimeSpan? Deadline(JsonObject d)
    {
        if (Json.At(d, "spec", "progressDeadlineSeconds") is not JsonValue v)
        {
            return null;
        }
        var seconds = Json.Int(v, int.MaxValue);
        if (seconds >= int.MaxValue)
        {
            return null;
        }
        var scaled = TimeSpan.FromSeconds(seconds * ctx.Options.ProgressDeadlineScale);
        var floor = ctx.Options.ReadyDelay * 2;
        return scaled > floor ? scaled : floor;
    }

    private JsonObject CreateReplicaSet(JsonObject d, string name, string hash, long replicas, long revision)
    {
        var spec = (JsonObject)d["spec"]!;
        var template = (JsonObject)(spec["template"]?.DeepClone() ?? new JsonObject());
        var templateMeta = Json.Child(template, "metadata");
        var labels = Json.Child(templateMeta, "labels");
        labels["pod-template-hash"] = hash;
        var selector = (JsonObject)(spec["selector"]?.DeepClone() ?? new JsonObject());
        Json.Child(selector, "matchLabels")["pod-template-hash"] = hash;
        var rsSpec = new JsonObject { ["replicas"] = replicas };
        if (spec["minReadySeconds"] is { } minReady)
        {
            rsSpec["minReadySeconds"] = minReady.DeepClone();
        }
        rsSpec["selector"] = selector;
        rsSpec["template"] = template;
        var body = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = Json.Str(Json.At(d, "metadata", "namespace")),
                ["labels"] = labels.DeepClone(),
                ["annotations"] = new JsonObject
                {
                    ["deployment.kubernetes.io/desired-replicas"] = replicas.ToString(CultureInfo.InvariantCulture),
                    ["deployment.kubernetes.io/max-replicas"] = (replicas + MaxSurge(spec, replicas)).ToString(CultureInfo.InvariantCulture),
                    [RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture),
                },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "Deployment",
                    ["name"] = Json.Name(d),
                    ["uid"] = Json.Uid(d),
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = rsSpec,
        };
        var created = ctx.Create(ctx.ReplicaSets, Json.Str(Json.At(d, "metadata", "namespace")), body);
        ScalingEvent(d, name, 0, replicas);
        return created;
    }

    private JsonObject SetRevision(JsonObject d, long revision)
    {
        var value = revision.ToString(CultureInfo.InvariantCulture);
        if (Json.Str(Json.At(d, "metadata", "annotations", RevisionAnnotation)) == value)
        {
            return d;
        }
        var body = (JsonObject)d.DeepClone();
        Json.Child((JsonObject)body["metadata"]!, "annotations")[RevisionAnnotation] = value;
        return ctx.Update(ctx.Deployments, body);
    }

    private JsonObject Scale(JsonObject d, JsonObject rs, long replicas)
    {
        var from = Json.Int(Json.At(rs, "spec", "replicas"), 1);
        var body = (JsonObject)rs.DeepClone();
        ((JsonObject)body["spec"]!)["replicas"] = replicas;
        if (replicas > 0)
        {
            Json.Child((JsonObject)body["metadata"]!, "annotations")["deployment.kubernetes.io/desired-replicas"] = replicas.ToString(CultureInfo.InvariantCulture);
        }
        var updated = ctx.Update(ctx.ReplicaSets, body);
        ScalingEvent(d, Json.Name(rs), from, replicas);
        return updated;
    }

    private void ScalingEvent(JsonObject d, string rs, long from, long to)
    {
        if (from == to)
        {
            return;
        }
        var direction = to > from ? "up" : "down";
        ctx.Events.About(d, "Normal", "ScalingReplicaSet", $"Scaled {direction} replica set {rs} to {to} from {from}", Component);
    }

    /// <summary>Deletes the oldest scaled-down ReplicaSets beyond the history limit.</summary>
    private void TrimHistory(List<JsonObject> olds, long limit)
    {
        var idle = olds.Where(rs => Json.Int(Json.At(rs, "spec", "replicas"), 1) == 0 && Json.Int(Json.At(rs, "status", "replicas")) == 0)
            .OrderBy(Revision).ToList();
        foreach (var rs in idle.Take(Math.Max(0, idle.Count - (int)limit)))
        {
            try
            {
                ctx.Registry.Delete(ctx.ReplicaSets, Json.Str(Json.At(rs, "metadata", "namespace")), Json.Name(rs), new DeleteOptions());
            }
            catch (ApiException)
            {
                // Already going.
            }
        }
    }

    private static long Revision(JsonObject rs) => Json.Int(Json.At(rs, "metadata", "annotations", RevisionAnnotation));

    /// <summary>Kubernetes' maxUnavailable: rounded down, zero for Recreate, at least one when maxSurge is zero too.</summary>
    private static long MaxUnavailable(JsonObject spec, long replicas)
    {
        if (Json.Str(Json.At(spec, "strategy", "type")) == "Recreate" || replicas == 0)
        {
            return 0;
        }
        var unavailable = Resolve(Json.At(spec, "strategy", "rollingUpdate", "maxUnavailable"), replicas, roundUp: false);
        var surge = Resolve(Json.At(spec, "strategy", "rollingUpdate", "maxSurge"), replicas, roundUp: true);
        if (unavailable == 0 && surge == 0)
        {
            unavailable = 1;
        }
        return Math.Min(unavailable, replicas);
    }

    private static long MaxSurge(JsonObject spec, long replicas) =>
        Json.Str(Json.At(spec, "strategy", "type")) == "Recreate" ? 0 : Resolve(Json.At(spec, "strategy", "rollingUpdate", "maxSurge"), replicas, roundUp: true);

    /// <summary>An int-or-percent against <paramref name="replicas"/> (25% when unset).</summary>
    private static long Resolve(JsonNode? value, long replicas, bool roundUp)
    {
        var text = value is null ? "25%" : Json.Str(value);
        if (text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
        {
            var exact = replicas * percent / 100;
            return (long)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
        }
        return Json.Int(value);
    }
}
