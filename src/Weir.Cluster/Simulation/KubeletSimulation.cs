using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The scheduler and the kubelet of the one node: binds pods that have no node yet, then reports each pod's status as
/// <see cref="SimulatedPod"/> computes it — phase, the conditions a 1.29+ kubelet writes (PodReadyToStartContainers,
/// Initialized, Ready, ContainersReady, PodScheduled), container statuses, host and pod IPs, QoS class — rewriting it
/// only when it changes and checking again when it next will. Pull failures and crash loops are recorded as events.
/// </summary>
internal sealed class KubeletSimulation(SimulationContext ctx)
{
    private const string Component = "kubelet";
    private static readonly HashSet<string> KubeletConditions = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"];

    public void Reconcile(ObjectKey key)
    {
        var pod = ctx.Get(ctx.Pods, key);
        if (pod is null || Json.Deleting(pod) || Json.Str(Json.At(pod, "status", "phase")) is "Succeeded" or "Failed")
        {
            return;
        }
        var node = ctx.Options.NodeName;
        var nodeName = Json.Str(Json.At(pod, "spec", "nodeName"));
        if (nodeName == "")
        {
            pod = Bind(pod, node);
        }
        else if (nodeName != node)
        {
            return; // Bound to a node that does not exist: Pending, as in any cluster.
        }
        var started = DateTimeOffset.TryParse(Json.Str(Json.At(pod, "status", "startTime")), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s) ? s : (DateTimeOffset?)null;
        var since = ctx.Since(key, Json.Uid(pod), started);
        var simulated = new SimulatedPod(pod, since, ctx.Options.ReadyDelay);
        var now = SimulationContext.Now;
        var snapshot = simulated.At(now);
        var status = Status(pod, key, since, snapshot);
        if (ctx.WriteStatus(ctx.Pods, pod, status) is { } written)
        {
            ctx.ObservePod(written);
        }
        if (snapshot.NextChange is { } next)
        {
            ctx.Schedule(key, next);
        }
        Report(pod, snapshot, node);
    }

    private JsonObject Bind(JsonObject pod, string node)
    {
        var body = (JsonObject)pod.DeepClone();
        ((JsonObject)(body["spec"] ??= new JsonObject()))["nodeName"] = node;
        var bound = ctx.Update(ctx.Pods, body);
        ctx.ObservePod(bound);
        return bound;
    }

    private JsonObject Status(JsonObject pod, ObjectKey key, DateTimeOffset since, SimulatedPod.Snapshot snapshot)
    {
        var old = pod["status"] as JsonObject;
        var now = GenericRegistry.Now();
        // No hostIPs nor null lastProbeTime: the server's schema prunes them, and the status written must equal the stored
        // one when nothing changed.
        var status = new JsonObject { ["phase"] = snapshot.Phase };
        var conditions = new JsonArray();
        foreach (var (type, value, reason, message) in Conditions(pod, snapshot))
        {
            var previous = (old?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Json.Str(c["type"]) == type);
            var condition = new JsonObject
            {
                ["type"] = type,
                ["status"] = value,
                ["lastTransitionTime"] = previous is not null && Json.Str(previous["status"]) == value ? Json.Str(previous["lastTransitionTime"]) : now,
            };
            if (reason != "")
            {
                condition["reason"] = reason;
            }
            if (message != "")
            {
                condition["message"] = message;
            }
            conditions.Add(condition);
        }
        foreach (var other in (old?["conditions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (!KubeletConditions.Contains(Json.Str(other["type"])))
            {
                conditions.Add(other.DeepClone());
            }
        }
        status["conditions"] = conditions;
        status["hostIP"] = NodeSimulation.InternalIp;
        var podIp = Json.Str(old?["podIP"]) is { Length: > 0 } ip ? ip : snapshot.SandboxReady ? ctx.PodIndex.AllocateIp(key) : "";
        if (podIp != "")
        {
            status["podIP"] = podIp;
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp });
        }
        status["startTime"] = Json.Str(old?["startTime"]) is { Length: > 0 } st ? st : Timestamp(since);
        if (snapshot.Inits.Count > 0)
        {
            status["initContainerStatuses"] = new JsonArray([.. snapshot.Inits.Select(r => (JsonNode)ContainerStatus(r, key))]);
        }
        status["containerStatuses"] = new JsonArray([.. snapshot.Containers.Select(r => (JsonNode)ContainerStatus(r, key))]);
        status["qosClass"] = QosClass(pod["spec"] as JsonObject);
        return status;
    }

    /// <summary>The kubelet's conditions, in the order it writes them.</summary>
    private static List<(string Type, string Status, string Reason, string Message)> Conditions(JsonObject pod, SimulatedPod.Snapshot s)
    {
        var terminal = s.Phase is "Succeeded" or "Failed";
        var list = new List<(string, string, string, string)> { ("PodReadyToStartContainers", s.SandboxReady && !terminal ? "True" : "False", "", "") };
        var incomplete = s.Inits.Where(r => r.Container.Sidecar ? !r.Started : !r.Ready).Select(r => r.Container.Name).ToList();
        if (s.Phase == "Succeeded")
        {
            list.Add(("Initialized", "True", "PodCompleted", ""));
        }
        else if (incomplete.Count == 0 || s.Containers.Any(r => r.HasRun))
        {
            list.Add(("Initialized", "True", "", ""));
        }
        else
        {
            list.Add(("Initialized", "False", "ContainersNotInitialized", $"containers with incomplete status: [{string.Join(' ', incomplete)}]"));
        }
        (string, string, string) ready;
        if (terminal)
        {
            ready = ("False", s.Phase == "Succeeded" ? "PodCompleted" : "PodFailed", "");
        }
        else
        {
            var unready = s.Inits.Where(r => r.Container.Sidecar && !r.Ready).Concat(s.Containers.Where(r => !r.Ready)).Select(r => r.Container.Name).ToList();
            ready = unready.Count > 0 ? ("False", "ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]") : ("True", "", "");
        }
        var podReady = ready;
        if (ready.Item1 == "True" && Json.At(pod, "spec", "readinessGates") is JsonArray { Count: > 0 } gates)
        {
            var unmet = new List<string>();
            foreach (var gate in gates.OfType<JsonObject>())
            {
                var type = Json.Str(gate["conditionType"]);
                var condition = (Json.At(pod, "status", "conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Json.Str(c["type"]) == type);
                if (condition is null)
                {
                    unmet.Add($"corresponding condition of pod readiness gate \"{type}\" does not exist.");
                }
                else if (Json.Str(condition["status"]) != "True")
                {
                    unmet.Add($"the status of pod readiness gate \"{type}\" is not \"True\", but {Json.Str(condition["status"])}");
                }
            }
            if (unmet.Count > 0)
            {
                podReady = ("False", "ReadinessGatesNotReady", string.Join(", ", unmet));
            }
        }
        list.Add(("Ready", podReady.Item1, podReady.Item2, podReady.Item3));
        list.Add(("ContainersReady", ready.Item1, ready.Item2, ready.Item3));
        list.Add(("PodScheduled", "True", "", ""));
        return list;
    }

    private static JsonObject ContainerStatus(SimulatedPod.Run run, ObjectKey pod)
    {
        var c = run.Container;
        var status = new JsonObject();
        // A container waiting to be restarted still reports the one that last ran.
        var id = run.State != "waiting" ? ContainerId(pod, c.Name, run.Restarts) : run.Last is not null ? ContainerId(pod, c.Name, run.Restarts - 1) : null;
        if (id is not null)
        {
            status["containerID"] = id;
        }
        status["image"] = run.Pulled ? BrokenImage.FullyQualified(c.Image) : c.Image;
        status["imageID"] = run.Pulled ? ImageId(c.Image) : "";
        status["lastState"] = run.Last is { } last
            ? new JsonObject { ["terminated"] = Terminated(last, ContainerId(pod, c.Name, run.Restarts - 1)) }
            : new JsonObject();
        status["name"] = c.Name;
        status["ready"] = run.Ready;
        status["restartCount"] = run.Restarts;
        status["started"] = run.Started;
        status["state"] = run.State switch
        {
            "running" => new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Timestamp(run.StartedAt!.Value) } },
            "terminated" => new JsonObject { ["terminated"] = Terminated(run, id!) },
            _ => new JsonObject { ["waiting"] = Waiting(run) },
        };
        return status;
    }

    private static JsonObject Waiting(SimulatedPod.Run run)
    {
        var waiting = new JsonObject();
        if (run.Message != "")
        {
            waiting["message"] = run.Message;
        }
        waiting["reason"] = run.Reason;
        return waiting;
    }

    private static JsonObject Terminated(SimulatedPod.Run run, string containerId) => new()
    {
        ["containerID"] = containerId,
        ["exitCode"] = run.ExitCode,
        ["finishedAt"] = Timestamp(run.FinishedAt!.Value),
        ["reason"] = run.Reason,
        ["startedAt"] = Timestamp(run.StartedAt!.Value),
    };

    /// <summary>Kubernetes' QoS class from the containers' cpu and memory requests and limits.</summary>
    public static string QosClass(JsonObject? spec)
    {
        var any = false;
        var guaranteed = true;
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var c in (spec?[list] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    var request = Json.At(c, "resources", "requests", resource);
                    var limit = Json.At(c, "resources", "limits", resource);
                    any |= request is not null || limit is not null;
                    if (limit is null || (request is not null && Quantity(request) != Quantity(limit)))
                    {
                        guaranteed = false;
                    }
                }
            }
        }
        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    private static string Quantity(JsonNode n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n.ToJsonString();

    private void Report(JsonObject pod, SimulatedPod.Snapshot snapshot, string node)
    {
        var runs = snapshot.Inits.Concat(snapshot.Containers).ToList();
        var pull = runs.FirstOrDefault(r => r.Reason is "ErrImagePull" or "ImagePullBackOff");
        var crash = runs.FirstOrDefault(r => r.CrashLooping);
        if ((pull ?? crash) is null || !ctx.FirstReport(new ObjectKey("", "pods", Json.Str(Json.At(pod, "metadata", "namespace")), Json.Name(pod))))
        {
            return;
        }
        if (pull is not null)
        {
            ctx.Events.PullFailure(pod, pull.Container.Image, BrokenImage.FieldPath(pull.Container.List, pull.Container.Name), node);
            return;
        }
        ctx.Events.Record(Json.Str(Json.At(pod, "metadata", "namespace")), EventRecorder.PodReference(pod, BrokenImage.FieldPath(crash!.Container.List, crash.Container.Name)), "Warning", "BackOff",
            $"Back-off restarting failed container {crash.Container.Name} in pod {Json.Name(pod)}_{Json.Str(Json.At(pod, "metadata", "namespace"))}({Json.Uid(pod)})", Component, node);
    }

    private static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>A made-up but stable container ID (no runtime runs anything).</summary>
    private static string ContainerId(ObjectKey pod, string container, int restart) =>
        "weir://" + Hex($"{pod.Namespace}/{pod.Name}/{container}/{restart}");

    /// <summary>A made-up digest for the image the simulated node "pulled": <c>docker.io/library/nginx@sha256:…</c>.</summary>
    private static string ImageId(string image)
    {
        var fq = BrokenImage.FullyQualified(image);
        var at = fq.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return fq;
        }
        var tag = BrokenImage.Tag(fq);
        var repository = tag is null ? fq : fq[..^(tag.Length + 1)];
        return $"{repository}@sha256:{Hex(fq)}";
    }

    private static string Hex(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));
}
