using System.Text.Json.Nodes;

namespace Weir.Cluster.Printing;

/// <summary>
/// Pods' READY, STATUS and RESTARTS cells of <c>kubectl get pods</c>, worked out from the pod's status the way the API
/// server's pod printer does: init progress (<c>Init:0/1</c>, <c>Init:ErrImagePull</c>), a waiting or terminated
/// container's reason (<c>ContainerCreating</c>, <c>ImagePullBackOff</c>, <c>CrashLoopBackOff</c>, <c>Completed</c>,
/// <c>Error</c>), <c>Terminating</c>, and restarts with the time since the last one.
/// </summary>
public static partial class BuiltinTables
{
    private static string PodReady(JsonObject pod) => Summarize(pod).Ready;

    private static string PodStatus(JsonObject pod) => Summarize(pod).Reason;

    private static string PodRestarts(JsonObject pod, DateTimeOffset now)
    {
        var (_, _, restarts, last) = Summarize(pod);
        return restarts != 0 && last is { } at
            ? $"{restarts} ({HumanAge.Since(at, now)} ago)"
            : restarts.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>One pass over the statuses, as the pod printer makes it.</summary>
    private static (string Ready, string Reason, long Restarts, DateTimeOffset? LastRestart) Summarize(JsonObject pod)
    {
        var phase = Str(At(pod, "status", "phase"));
        var reason = Str(At(pod, "status", "reason")) is { Length: > 0 } r ? r : phase;
        if ((At(pod, "status", "conditions") as JsonArray)?.OfType<JsonObject>().Any(c => Str(c["type"]) == "PodScheduled" && Str(c["reason"]) == "SchedulingGated") == true)
        {
            reason = "SchedulingGated";
        }
        var initSpecs = PodContainers(pod, "initContainers").OfType<JsonObject>().ToList();
        var sidecars = initSpecs.Where(c => Str(c["restartPolicy"]) == "Always").Select(c => Str(c["name"])).ToHashSet(StringComparer.Ordinal);
        var total = PodContainers(pod, "containers").Count + sidecars.Count;
        var ready = 0;
        long restarts = 0, sidecarRestarts = 0;
        DateTimeOffset? last = null, sidecarLast = null;
        var initializing = false;
        var inits = Statuses(pod, "initContainerStatuses").ToList();
        for (var i = 0; i < inits.Count; i++)
        {
            var s = inits[i];
            var sidecar = sidecars.Contains(Str(s["name"]));
            Count(s, ref restarts, ref last);
            if (sidecar)
            {
                Count(s, ref sidecarRestarts, ref sidecarLast);
            }
            var terminated = At(s, "state", "terminated");
            var waiting = At(s, "state", "waiting");
            if (terminated is not null && Int(terminated["exitCode"]) == 0)
            {
                continue;
            }
            if (sidecar && Bool(s["started"]))
            {
                if (Bool(s["ready"]))
                {
                    ready++;
                }
                continue;
            }
            if (terminated is not null)
            {
                reason = Str(terminated["reason"]) is { Length: > 0 } tr ? "Init:" + tr
                    : Int(terminated["signal"]) != 0 ? $"Init:Signal:{Int(terminated["signal"])}" : $"Init:ExitCode:{Int(terminated["exitCode"])}";
            }
            else if (waiting is not null && Str(waiting["reason"]) is { Length: > 0 } wr && wr != "PodInitializing")
            {
                reason = "Init:" + wr;
            }
            else
            {
                reason = $"Init:{i}/{initSpecs.Count}";
            }
            initializing = true;
            break;
        }
        if (!initializing || Condition(pod, "Initialized"))
        {
            restarts = sidecarRestarts;
            last = sidecarLast;
            var hasRunning = false;
            var statuses = Statuses(pod, "containerStatuses").ToList();
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var s = statuses[i];
                Count(s, ref restarts, ref last);
                var waiting = At(s, "state", "waiting");
                var terminated = At(s, "state", "terminated");
                if (waiting is not null && Str(waiting["reason"]) is { Length: > 0 } wr)
                {
                    reason = wr;
                }
                else if (terminated is not null && Str(terminated["reason"]) is { Length: > 0 } tr)
                {
                    reason = tr;
                }
                else if (terminated is not null)
                {
                    reason = Int(terminated["signal"]) != 0 ? $"Signal:{Int(terminated["signal"])}" : $"ExitCode:{Int(terminated["exitCode"])}";
                }
                else if (Bool(s["ready"]) && At(s, "state", "running") is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }
            if (reason == "Completed" && hasRunning)
            {
                reason = Condition(pod, "Ready") ? "Running" : "NotReady";
            }
        }
        if (At(pod, "metadata", "deletionTimestamp") is not null)
        {
            if (Str(At(pod, "status", "reason")) == "NodeLost")
            {
                reason = "Unknown";
            }
            else if (phase is not ("Succeeded" or "Failed"))
            {
                reason = "Terminating";
            }
        }
        return ($"{ready}/{total}", reason, restarts, last);
    }

    private static void Count(JsonObject status, ref long restarts, ref DateTimeOffset? last)
    {
        restarts += Int(status["restartCount"]);
        if (At(status, "lastState", "terminated", "finishedAt") is JsonValue v && v.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            && (last is null || at > last))
        {
            last = at;
        }
    }

    private static JsonArray PodContainers(JsonObject pod, string list) => At(pod, "spec", list) as JsonArray ?? [];

    private static IEnumerable<JsonObject> Statuses(JsonObject pod, string list) => (At(pod, "status", list) as JsonArray)?.OfType<JsonObject>() ?? [];

    private static bool Condition(JsonObject pod, string type) =>
        (At(pod, "status", "conditions") as JsonArray)?.OfType<JsonObject>().Any(c => Str(c["type"]) == type && Str(c["status"]) == "True") == true;

    private static bool Bool(JsonNode? n) => n is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
