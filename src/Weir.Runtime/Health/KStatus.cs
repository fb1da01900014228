using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Runtime.Health;

/// <summary>kstatus' status values.</summary>
public static class HealthStatus
{
    public const string InProgress = "InProgress";
    public const string Failed = "Failed";
    public const string Current = "Current";
    public const string Terminating = "Terminating";
    public const string NotFound = "NotFound";
    public const string Unknown = "Unknown";
}

/// <summary>An object's computed status and why.</summary>
public readonly record struct ObjectHealth(string Status, string Message);

/// <summary>
/// Computes an object's status with kstatus' rules: generic properties first (deletion, observedGeneration,
/// <c>Reconciling</c>/<c>Stalled</c> conditions), then the built-in kinds' own rules (Deployment, StatefulSet,
/// DaemonSet, ReplicaSet, Pod, Job, PersistentVolumeClaim, Service, CustomResourceDefinition), and for other
/// kinds their <c>Ready</c> condition when they have one.
/// </summary>
public static class KStatus
{
    public static ObjectHealth Compute(JsonObject? obj)
    {
        if (obj is null)
        {
            return new(HealthStatus.NotFound, "Resource not found");
        }

        if (Generic(obj) is { } generic)
        {
            return generic;
        }

        var group = obj.Gvk().Group;
        return (group, obj.Kind()) switch
        {
            ("apps", "Deployment") => Deployment(obj),
            ("apps", "StatefulSet") => StatefulSet(obj),
            ("apps", "DaemonSet") => DaemonSet(obj),
            ("apps", "ReplicaSet") => ReplicaSet(obj),
            ("", "Pod") => Pod(obj),
            ("", "PersistentVolumeClaim") => Pvc(obj),
            ("", "Service") => Service(obj),
            ("batch", "Job") => Job(obj),
            ("apiextensions.k8s.io", "CustomResourceDefinition") => Crd(obj),
            _ => ReadyCondition(obj),
        };
    }

    /// <summary>kstatus' generic rules alone (deletion, observedGeneration, Reconciling, Stalled); null when none decides.</summary>
    public static ObjectHealth? Generic(JsonObject obj)
    {
        if (obj.Metadata()?["deletionTimestamp"] is not null)
        {
            return new(HealthStatus.Terminating, "Resource scheduled for deletion");
        }

        if (obj["status"]?["observedGeneration"] is JsonValue observed && observed.TryGetValue<long>(out var seen) && seen != obj.Generation())
        {
            return new(HealthStatus.InProgress,
                $"{obj.Kind()} generation is {obj.Generation()}, but latest observed generation is {seen}");
        }

        if (Condition(obj, "Reconciling") is { } reconciling && Str(reconciling, "status") == "True")
        {
            return new(HealthStatus.InProgress, Str(reconciling, "message"));
        }

        if (Condition(obj, "Stalled") is { } stalled && Str(stalled, "status") == "True")
        {
            return new(HealthStatus.Failed, Str(stalled, "message"));
        }

        return null;
    }

    private static ObjectHealth Deployment(JsonObject obj)
    {
        var progressing = false;
        var available = false;
        foreach (var c in Conditions(obj))
        {
            switch (Str(c, "type"))
            {
                case "Progressing" when Str(c, "reason") == "ProgressDeadlineExceeded":
                    return new(HealthStatus.Failed, "Progress deadline exceeded");
                case "Progressing" when Str(c, "status") == "True" && Str(c, "reason") == "NewReplicaSetAvailable":
                    progressing = true;
                    break;
                case "Available" when Str(c, "status") == "True":
                    available = true;
                    break;
            }
        }

        var spec = Int(obj, "spec", "replicas", 1);
        var status = Int(obj, "status", "replicas");
        var updated = Int(obj, "status", "updatedReplicas");
        var ready = Int(obj, "status", "readyReplicas");
        var availableReplicas = Int(obj, "status", "availableReplicas");
        if (spec > status)
        {
            return InProgress($"Replicas: {status}/{spec}");
        }

        if (spec > updated)
        {
            return InProgress($"Updated: {updated}/{spec}");
        }

        if (status > spec)
        {
            return InProgress($"Pending termination: {status - spec}");
        }

        if (updated > availableReplicas)
        {
            return InProgress($"Available: {availableReplicas}/{updated}");
        }

        if (spec > ready)
        {
            return InProgress($"Ready: {ready}/{spec}");
        }

        if (!progressing)
        {
            return InProgress("Rollout in progress");
        }

        return !available ? InProgress("Deployment not Available") : new(HealthStatus.Current, $"Deployment is available. Replicas: {status}");
    }

    private static ObjectHealth StatefulSet(JsonObject obj)
    {
        if (obj["spec"]?["updateStrategy"]?["type"]?.GetValue<string>() == "OnDelete")
        {
            return new(HealthStatus.Current, "StatefulSet is using the ondelete update strategy");
        }

        var spec = Int(obj, "spec", "replicas", 1);
        var ready = Int(obj, "status", "readyReplicas");
        var current = Int(obj, "status", "currentReplicas");
        var updated = Int(obj, "status", "updatedReplicas");
        var status = Int(obj, "status", "replicas");
        if (spec > status)
        {
            return InProgress($"Replicas: {status}/{spec}");
        }

        if (spec > ready)
        {
            return InProgress($"Ready: {ready}/{spec}");
        }

        if (status > spec)
        {
            return InProgress($"Pending termination: {status - spec}");
        }

        var partition = obj["spec"]?["updateStrategy"]?["rollingUpdate"]?["partition"]?.GetValue<long>() ?? 0;
        if (partition > 0)
        {
            return updated < spec - partition
                ? InProgress($"updated: {updated}/{spec - partition}")
                : new(HealthStatus.Current, $"Partitioned roll out complete. updated: {updated}");
        }

        if (spec > current)
        {
            return InProgress($"current: {current}/{spec}");
        }

        var currentRevision = obj["status"]?["currentRevision"]?.GetValue<string>();
        var updateRevision = obj["status"]?["updateRevision"]?.GetValue<string>();
        return currentRevision != updateRevision
            ? InProgress($"Waiting for updated revision {updateRevision} to match current {currentRevision}")
            : new(HealthStatus.Current, $"All replicas scheduled as expected. Replicas: {status}");
    }

    private static ObjectHealth DaemonSet(JsonObject obj)
    {
        var desired = Int(obj, "status", "desiredNumberScheduled", -1);
        var current = Int(obj, "status", "currentNumberScheduled");
        var updated = Int(obj, "status", "updatedNumberScheduled");
        var available = Int(obj, "status", "numberAvailable");
        var ready = Int(obj, "status", "numberReady");
        if (desired == -1)
        {
            return InProgress("Missing .status.desiredNumberScheduled");
        }

        if (desired > current)
        {
            return InProgress($"Current: {current}/{desired}");
        }

        if (desired > updated)
        {
            return InProgress($"Updated: {updated}/{desired}");
        }

        if (desired > available)
        {
            return InProgress($"Available: {available}/{desired}");
        }

        return desired > ready
            ? InProgress($"Ready: {ready}/{desired}")
            : new(HealthStatus.Current, $"All replicas scheduled as expected. Replicas: {desired}");
    }

    private static ObjectHealth ReplicaSet(JsonObject obj)
    {
        if (Conditions(obj).Any(c => Str(c, "type") == "ReplicaFailure" && Str(c, "status") == "True"))
        {
            return InProgress("Replica Failure condition. Check Pods");
        }

        var spec = Int(obj, "spec", "replicas", 1);
        var status = Int(obj, "status", "replicas");
        var ready = Int(obj, "status", "readyReplicas");
        var available = Int(obj, "status", "availableReplicas");
        var labelled = Int(obj, "status", "fullyLabeledReplicas");
        if (spec > labelled)
        {
            return InProgress($"Labelled: {labelled}/{spec}");
        }

        if (spec > available)
        {
            return InProgress($"Available: {available}/{spec}");
        }

        if (spec > ready)
        {
            return InProgress($"Ready: {ready}/{spec}");
        }

        return status > spec
            ? InProgress($"Pending termination: {status - spec}")
            : new(HealthStatus.Current, $"ReplicaSet is available. Replicas: {status}");
    }

    private static ObjectHealth Pod(JsonObject obj)
    {
        var phase = obj["status"]?["phase"]?.GetValue<string>() ?? "";
        return phase switch
        {
            "Succeeded" => new(HealthStatus.Current, "Pod has completed successfully"),
            "Failed" => new(HealthStatus.Failed, "Pod has completed, but not successfully"),
            "Running" when Conditions(obj).Any(c => Str(c, "type") == "Ready" && Str(c, "status") == "True") =>
                new(HealthStatus.Current, "Pod is Ready"),
            "Running" => InProgress("Pod is running but is not Ready"),
            _ => InProgress("Pod is in the Pending phase"),
        };
    }

    private static ObjectHealth Pvc(JsonObject obj) =>
        obj["status"]?["phase"]?.GetValue<string>() == "Bound"
            ? new(HealthStatus.Current, "PVC is Bound")
            : InProgress("PVC is not Bound");

    private static ObjectHealth Service(JsonObject obj)
    {
        if (obj["spec"]?["type"]?.GetValue<string>() == "LoadBalancer"
            && obj["status"]?["loadBalancer"]?["ingress"] is not JsonArray { Count: > 0 })
        {
            return InProgress("Pending external IP");
        }

        return new(HealthStatus.Current, "Service is ready");
    }

    private static ObjectHealth Job(JsonObject obj)
    {
        foreach (var c in Conditions(obj))
        {
            if (Str(c, "status") != "True")
            {
                continue;
            }

            switch (Str(c, "type"))
            {
                case "Complete":
                    return new(HealthStatus.Current, "Job Completed");
                case "Failed":
                    return new(HealthStatus.Failed, $"Job Failed. failed: {Int(obj, "status", "failed")}");
            }
        }

        return InProgress("Job in progress");
    }

    private static ObjectHealth Crd(JsonObject obj)
    {
        foreach (var c in Conditions(obj))
        {
            switch (Str(c, "type"))
            {
                case "NamesAccepted" when Str(c, "status") == "False":
                    return new(HealthStatus.Failed, Str(c, "message"));
                case "Established" when Str(c, "status") == "True":
                    return new(HealthStatus.Current, "CRD is established");
            }
        }

        return InProgress("Install in progress");
    }

    private static ObjectHealth ReadyCondition(JsonObject obj)
    {
        if (Condition(obj, "Ready") is not { } ready)
        {
            return new(HealthStatus.Current, "Resource is current");
        }

        return Str(ready, "status") == "True"
            ? new(HealthStatus.Current, Str(ready, "message"))
            : InProgress(Str(ready, "message"));
    }

    private static ObjectHealth InProgress(string message) => new(HealthStatus.InProgress, message);

    private static IEnumerable<JsonObject> Conditions(JsonObject obj) =>
        (obj["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>();

    private static JsonObject? Condition(JsonObject obj, string type) => Conditions(obj).FirstOrDefault(c => Str(c, "type") == type);

    private static string Str(JsonObject obj, string field) =>
        obj[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static long Int(JsonObject obj, string section, string field, long fallback = 0) =>
        obj[section]?[field] is JsonValue v && v.TryGetValue<long>(out var n) ? n : fallback;
}
