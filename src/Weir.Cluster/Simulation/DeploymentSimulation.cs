using System.Globalization;
using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The Deployment controller: one ReplicaSet per pod template (<c>name-hash</c>, owned by the Deployment), scaled as
/// Kubernetes' rolling update does (the new one up within maxSurge, old ones down while maxUnavailable allows; Recreate
/// scales the old ones to zero first), history trimmed to <c>revisionHistoryLimit</c>, and the status and
/// Available/Progressing conditions computed from the ReplicaSets, including ProgressDeadlineExceeded when no progress
/// is made within the deadline.
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
        var olds = sets.Where(rs => !ReferenceEquals(rs, newRs)).OrderBy(Revision).ToList();
        var created = false;
        if (Json.Str(Json.At(spec, "strategy", "type")) == "Recreate")
        {
            // Recreate: the new ReplicaSet waits until the old pods are gone.
            ScaleDownAll(d, olds);
            var oldPodsGone = olds.All(rs => Json.Int(Json.At(rs, "status", "replicas")) == 0);
            if (oldPodsGone && newRs is null)
            {
                (newRs, d) = CreateReplicaSet(d, newName, hash, replicas, olds);
                created = true;
            }
            else if (oldPodsGone && SpecReplicas(newRs!) != replicas)
            {
                newRs = Scale(d, newRs!, replicas);
            }
        }
        else
        {
            var surge = MaxSurge(spec, replicas);
            if (newRs is null)
            {
                var room = replicas + surge - olds.Sum(SpecReplicas);
                (newRs, d) = CreateReplicaSet(d, newName, hash, olds.Count == 0 ? replicas : Math.Clamp(room, 0, replicas), olds);
                created = true;
            }
            else
            {
                newRs = ScaleNew(d, newRs, olds, replicas, surge);
            }
            ScaleDownOld(d, newRs, olds, replicas, MaxUnavailable(spec, replicas));
        }

        long specTotal = 0, total = 0, ready = 0, available = 0;
        foreach (var rs in newRs is null ? olds : olds.Append(newRs))
        {
            specTotal += SpecReplicas(rs);
            total += Json.Int(Json.At(rs, "status", "replicas"));
            ready += Json.Int(Json.At(rs, "status", "readyReplicas"));
            available += Json.Int(Json.At(rs, "status", "availableReplicas"));
        }
        var newStatus = newRs?["status"];
        var updated = Json.Int(Json.At(newStatus, "replicas"));
        if (newRs is not null && SpecReplicas(newRs) == replicas && Json.Int(Json.At(newStatus, "availableReplicas")) >= replicas && available >= replicas)
        {
            TrimHistory(olds, Json.Int(spec["revisionHistoryLimit"], 10));
        }
        var status = new JsonObject { ["observedGeneration"] = Json.Generation(d) };
        Json.PutNonZero(status, "replicas", total);
        Json.PutNonZero(status, "updatedReplicas", updated);
        Json.PutNonZero(status, "readyReplicas", ready);
        Json.PutNonZero(status, "availableReplicas", available);
        Json.PutNonZero(status, "unavailableReplicas", Math.Max(0, specTotal - available));
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
        var complete = updated == replicas && total == replicas && available == replicas;
        SetProgressing(key, d, status, newName, created, complete, now);
        ctx.WriteStatus(ctx.Deployments, d, status);
    }

    /// <summary>
    /// The rolling update's scale-up: the new ReplicaSet grows while all ReplicaSets together stay within
    /// replicas + maxSurge.
    /// </summary>
    private JsonObject ScaleNew(JsonObject d, JsonObject newRs, List<JsonObject> olds, long replicas, long surge)
    {
        var current = SpecReplicas(newRs);
        if (current == replicas)
        {
            return newRs;
        }
        if (current > replicas)
        {
            return Scale(d, newRs, replicas);
        }
        var room = replicas + surge - current - olds.Sum(SpecReplicas);
        return room <= 0 ? newRs : Scale(d, newRs, current + Math.Min(room, replicas - current));
    }

    /// <summary>
    /// The rolling update's scale-down: old ReplicaSets (oldest first) lose unavailable pods, then available ones,
    /// as long as replicas - maxUnavailable pods stay available.
    /// </summary>
    private void ScaleDownOld(JsonObject d, JsonObject newRs, List<JsonObject> olds, long replicas, long maxUnavailable)
    {
        if (olds.Sum(SpecReplicas) == 0)
        {
            return;
        }
        var minAvailable = replicas - maxUnavailable;
        var newUnavailable = SpecReplicas(newRs) - Available(newRs);
        var allowed = olds.Sum(SpecReplicas) + SpecReplicas(newRs) - minAvailable - newUnavailable;
        for (var i = 0; i < olds.Count && allowed > 0; i++)
        {
            var unhealthy = SpecReplicas(olds[i]) - Available(olds[i]);
            if (unhealthy > 0)
            {
                var down = Math.Min(allowed, unhealthy);
                olds[i] = Scale(d, olds[i], SpecReplicas(olds[i]) - down);
                allowed -= down;
            }
        }
        var availableNow = olds.Append(newRs).Sum(Available);
        var budget = availableNow - minAvailable;
        for (var i = 0; i < olds.Count && budget > 0; i++)
        {
            var down = Math.Min(SpecReplicas(olds[i]), budget);
            if (down > 0)
            {
                olds[i] = Scale(d, olds[i], SpecReplicas(olds[i]) - down);
                budget -= down;
            }
        }
    }

    private void ScaleDownAll(JsonObject d, List<JsonObject> olds)
    {
        for (var i = 0; i < olds.Count; i++)
        {
            if (SpecReplicas(olds[i]) > 0)
            {
                olds[i] = Scale(d, olds[i], 0);
            }
        }
    }

    private static long SpecReplicas(JsonObject rs) => Json.Int(Json.At(rs, "spec", "replicas"), 1);

    /// <summary>Available pods of a ReplicaSet, never more than it is scaled to (its status may lag a scale-down just made).</summary>
    private static long Available(JsonObject rs) => Math.Min(SpecReplicas(rs), Json.Int(Json.At(rs, "status", "availableReplicas")));

    private void SetProgressing(ObjectKey key, JsonObject d, JsonObject status, string newName, bool created, bool complete, string now)
    {
        var fingerprint = $"{Json.Uid(d)}:{Json.Generation(d)}";
        if (created)
        {
            ctx.Restart(key, fingerprint);
            StatusConditions.Set(status, "Progressing", "True", "NewReplicaSetCreated", $"Created new replica set \"{newName}\"", now);
        }
        var current = StatusConditions.Find(status, "Progressing");
        if (!created && Json.Str(current?["reason"]) == "NewReplicaSetAvailable" && Json.Int(status["replicas"]) == Json.Int(status["updatedReplicas"]))
        {
            return; // A finished rollout being scaled: no progress to estimate, as in Kubernetes.
        }
        if (complete)
        {
            StatusConditions.Set(status, "Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{newName}\" has successfully progressed.", now);
            return;
        }
        if (!created && Progressed(d["status"], status))
        {
            // Progress refreshes the condition's lastUpdateTime, and the deadline runs from it, as in Kubernetes.
            ctx.Restart(key, fingerprint);
            var transition = current is not null && Json.Str(current["status"]) == "True" ? Json.Str(current["lastTransitionTime"]) : now;
            StatusConditions.Set(status, "Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{newName}\" is progressing.", now);
            var condition = StatusConditions.Find(status, "Progressing")!;
            condition["lastUpdateTime"] = now;
            condition["lastTransitionTime"] = transition;
        }
        var timedOutMessage = $"ReplicaSet \"{newName}\" has timed out progressing.";
        var since = ctx.Since(key, fingerprint);
        var deadline = Deadline(d);
        var latched = current is not null && Json.Str(current["reason"]) == "ProgressDeadlineExceeded" && Json.Str(current["message"]) == timedOutMessage;
        if (latched || (deadline is { } limit && SimulationContext.Now >= since + limit))
        {
            StatusConditions.Set(status, "Progressing", "False", "ProgressDeadlineExceeded", timedOutMessage, now);
            return;
        }
        if (StatusConditions.Find(status, "Progressing") is null || Json.Str(StatusConditions.Find(status, "Progressing")!["status"]) != "True")
        {
            StatusConditions.Set(status, "Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{newName}\" is progressing.", now);
        }
        if (deadline is { } wait)
        {
            ctx.Schedule(key, since + wait);
        }
    }

    /// <summary>Kubernetes' test for progress: more updated, ready or available replicas, or fewer old ones.</summary>
    private static bool Progressed(JsonNode? before, JsonObject after)
    {
        long N(JsonNode? s, string f) => Json.Int(Json.At(s, f));
        return N(after, "updatedReplicas") > N(before, "updatedReplicas")
            || N(after, "replicas") - N(after, "updatedReplicas") < N(before, "replicas") - N(before, "updatedReplicas")
            || N(after, "readyReplicas") > N(before, "readyReplicas")
            || N(after, "availableReplicas") > N(before, "availableReplicas");
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

    private (JsonObject ReplicaSet, JsonObject Deployment) CreateReplicaSet(JsonObject d, string name, string hash, long replicas, List<JsonObject> olds)
    {
        var revision = olds.Select(Revision).DefaultIfEmpty(0).Max() + 1;
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
        return (created, SetRevision(d, revision));
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
