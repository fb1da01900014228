using System.Globalization;
using System.Text.Json.Nodes;
using Weir.Cluster.Api;

namespace Weir.Cluster.Simulation;

/// <summary>Records core/v1 Events as the controllers and kubelet of a real cluster would, so <c>kubectl get events</c> and <c>describe</c> show them.</summary>
internal sealed class EventRecorder(GenericRegistry registry)
{
    private readonly ResourceType _events = registry.Catalog.Find("", "v1", "events")!;
    private long _sequence;

    public void Record(string ns, JsonObject involved, string type, string reason, string message, string component, string host = "")
    {
        var now = GenericRegistry.Now();
        var nanos = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000) + Interlocked.Increment(ref _sequence);
        var source = new JsonObject { ["component"] = component };
        if (host != "")
        {
            source["host"] = host;
        }
        var body = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = $"{Json.Str(involved["name"])}.{nanos.ToString("x", CultureInfo.InvariantCulture)}", ["namespace"] = ns },
            ["involvedObject"] = involved,
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = source,
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
            ["type"] = type,
            ["eventTime"] = null,
            ["reportingComponent"] = component,
            ["reportingInstance"] = host,
        };
        try
        {
            registry.Create(_events, ns, JsonNode.Parse(body.ToJsonString())!.AsObject(), new WriteOptions { FieldManager = component, FieldValidation = "Ignore" });
        }
        catch (ApiException)
        {
            // The namespace is going away; its events with it.
        }
    }

    /// <summary>An event about a workload object (e.g. ScalingReplicaSet on a Deployment).</summary>
    public void About(JsonObject obj, string type, string reason, string message, string component)
    {
        var meta = obj["metadata"]!;
        var involved = new JsonObject
        {
            ["kind"] = Json.Str(obj["kind"]),
            ["namespace"] = Json.Str(meta["namespace"]),
            ["name"] = Json.Str(meta["name"]),
            ["uid"] = Json.Str(meta["uid"]),
            ["apiVersion"] = Json.Str(obj["apiVersion"]),
            ["resourceVersion"] = Json.Str(meta["resourceVersion"]),
        };
        Record(Json.Str(meta["namespace"]), involved, type, reason, message, component);
    }

    /// <summary>An event's reference to a pod (and one of its containers, when <paramref name="fieldPath"/> is given).</summary>
    public static JsonObject PodReference(JsonObject pod, string? fieldPath = null)
    {
        var o = new JsonObject
        {
            ["kind"] = "Pod",
            ["namespace"] = Json.Str(Json.At(pod, "metadata", "namespace")),
            ["name"] = Json.Name(pod),
            ["uid"] = Json.Uid(pod),
            ["apiVersion"] = "v1",
            ["resourceVersion"] = Json.Str(Json.At(pod, "metadata", "resourceVersion")),
        };
        if (fieldPath is not null)
        {
            o["fieldPath"] = fieldPath;
        }
        return o;
    }

    /// <summary>What the scheduler and kubelet report for a pod whose image cannot be pulled.</summary>
    public void PullFailure(JsonObject pod, string image, string fieldPath, string node)
    {
        var ns = Json.Str(Json.At(pod, "metadata", "namespace"));
        var name = Json.Name(pod);
        Record(ns, PodReference(pod), "Normal", "Scheduled", $"Successfully assigned {ns}/{name} to {node}", "default-scheduler");
        Record(ns, PodReference(pod, fieldPath), "Normal", "Pulling", $"Pulling image \"{image}\"", "kubelet", node);
        Record(ns, PodReference(pod, fieldPath), "Warning", "Failed", $"Failed to pull image \"{image}\": {BrokenImage.PullError(image)}", "kubelet", node);
        Record(ns, PodReference(pod, fieldPath), "Warning", "Failed", "Error: ErrImagePull", "kubelet", node);
        Record(ns, PodReference(pod, fieldPath), "Normal", "BackOff", $"Back-off pulling image \"{image}\"", "kubelet", node);
        Record(ns, PodReference(pod, fieldPath), "Warning", "Failed", "Error: ImagePullBackOff", "kubelet", node);
    }
}
