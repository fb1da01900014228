using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// What every simulated controller shares: the registry it writes through (as kube-controller-manager would), the
/// clock of each object's current rollout, scheduling of later checks, the event recorder and the pod index.
/// </summary>
internal sealed class SimulationContext
{
    public const string Manager = "kube-controller-manager";

    private readonly Dictionary<ObjectKey, Progress> _progress = [];
    private readonly Action<ObjectKey, DateTimeOffset> _schedule;
    private readonly Action<ObjectKey> _requeue;
    private readonly Action<PodInfo?, PodInfo?> _podChanged;

    public SimulationContext(GenericRegistry registry, SimulatorOptions options, Action<ObjectKey, DateTimeOffset> schedule, Action<ObjectKey> requeue, Action<PodInfo?, PodInfo?> podChanged)
    {
        Registry = registry;
        Options = options;
        _schedule = schedule;
        _requeue = requeue;
        _podChanged = podChanged;
        Events = new EventRecorder(registry);
        Deployments = Type("apps", "deployments");
        ReplicaSets = Type("apps", "replicasets");
        StatefulSets = Type("apps", "statefulsets");
        DaemonSets = Type("apps", "daemonsets");
        Jobs = Type("batch", "jobs");
        Claims = Type("", "persistentvolumeclaims");
        Services = Type("", "services");
        Endpoints = Type("", "endpoints");
        Pods = Type("", "pods");
        Nodes = Type("", "nodes");
    }

    public GenericRegistry Registry { get; }

    public SimulatorOptions Options { get; }

    public EventRecorder Events { get; }

    public ResourceType Deployments { get; }

    public ResourceType ReplicaSets { get; }

    public ResourceType StatefulSets { get; }

    public ResourceType DaemonSets { get; }

    public ResourceType Jobs { get; }

    public ResourceType Claims { get; }

    public ResourceType Services { get; }

    public ResourceType Endpoints { get; }

    public ResourceType Pods { get; }

    public ResourceType Nodes { get; }

    /// <summary>Every pod, by namespace and controller.</summary>
    public PodIndex PodIndex { get; } = new();

    public static DateTimeOffset Now => DateTimeOffset.UtcNow;

    private ResourceType Type(string group, string plural) => Registry.Catalog.FindAnyVersion(group, plural)!;

    public JsonObject? Get(ResourceType t, ObjectKey key) => Registry.TryGet(t, t.Namespaced ? key.Namespace : null, key.Name);

    public WriteOptions Write() => new() { FieldManager = Manager, FieldValidation = "Ignore" };

    /// <summary>Checks the object again at <paramref name="at"/>.</summary>
    public void Schedule(ObjectKey key, DateTimeOffset at) => _schedule(key, at);

    /// <summary>Checks the object again in the next round.</summary>
    public void Requeue(ObjectKey key) => _requeue(key);

    /// <summary>
    /// When the rollout identified by <paramref name="fingerprint"/> (e.g. uid and generation) started: the first
    /// time it is seen. Simulated pods become ready <see cref="SimulatorOptions.ReadyDelay"/> later.
    /// </summary>
    public DateTimeOffset Since(ObjectKey key, string fingerprint, DateTimeOffset? startedBefore = null)
    {
        if (!_progress.TryGetValue(key, out var p) || p.Fingerprint != fingerprint)
        {
            p = new Progress(fingerprint, startedBefore is { } s && s < Now ? s : Now);
            _progress[key] = p;
        }
        return p.Since;
    }

    /// <summary>Restarts the clock of the current rollout of <paramref name="key"/> (it made progress).</summary>
    public void Restart(ObjectKey key, string fingerprint) => _progress[key] = new Progress(fingerprint, Now);

    /// <summary>Whether the simulated pods of this rollout are ready by now; if not, schedules a check for when they are.</summary>
    public bool ReadyYet(ObjectKey key, string fingerprint)
    {
        var at = Since(key, fingerprint) + Options.ReadyDelay;
        if (Now >= at)
        {
            return true;
        }
        Schedule(key, at);
        return false;
    }

    /// <summary>True the first time it is asked for the current rollout of <paramref name="key"/> (events are recorded once).</summary>
    public bool FirstReport(ObjectKey key)
    {
        if (!_progress.TryGetValue(key, out var p) || p.Reported)
        {
            return false;
        }
        p.Reported = true;
        return true;
    }

    public void Forget(ObjectKey key) => _progress.Remove(key);

    /// <summary>Writes <paramref name="status"/> through the status subresource unless it is what is stored; the written object, or null.</summary>
    public JsonObject? WriteStatus(ResourceType t, JsonObject obj, JsonObject status)
    {
        if (JsonNode.DeepEquals(obj["status"], status))
        {
            return null;
        }
        var body = (JsonObject)obj.DeepClone();
        body["status"] = status.DeepClone();
        return Update(t, body, "status");
    }

    /// <summary>Creates a pod, records it in the index and hands it to the kubelet.</summary>
    public JsonObject CreatePod(string ns, JsonObject body)
    {
        var pod = Create(Pods, ns, body);
        ObservePod(pod);
        Requeue(new ObjectKey("", "pods", ns, Json.Name(pod)));
        return pod;
    }

    /// <summary>Deletes a pod (a controller scaling down); gone already is fine.</summary>
    public void DeletePod(PodInfo pod)
    {
        try
        {
            var gone = Registry.Delete(Pods, pod.Namespace, pod.Name, new DeleteOptions());
            if (Json.At(gone, "metadata", "deletionTimestamp") is null || Json.At(gone, "metadata", "finalizers") is not JsonArray { Count: > 0 })
            {
                PodChanged(PodIndex.Observe(pod.Key, ResourceVersion(gone), null, own: true));
            }
            else
            {
                ObservePod(gone);
            }
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Already gone.
        }
    }

    /// <summary>Records a pod the simulator just wrote.</summary>
    public void ObservePod(JsonObject pod) =>
        PodChanged(PodIndex.Observe(new ObjectKey("", "pods", Json.Str(Json.At(pod, "metadata", "namespace")), Json.Name(pod)), ResourceVersion(pod), pod, own: true));

    /// <summary>Passes a pod change on to whoever follows it (its controller, the Services selecting it).</summary>
    public void PodChanged((PodInfo? Before, PodInfo? After)? change)
    {
        if (change is { } c)
        {
            _podChanged(c.Before, c.After);
        }
    }

    private static long ResourceVersion(JsonObject obj) => Json.Int(Json.At(obj, "metadata", "resourceVersion"));

    /// <summary>Creates through the registry, as a client would (the body is re-read as wire JSON).</summary>
    public JsonObject Create(ResourceType t, string ns, JsonObject body) => Registry.Create(t, ns, Wire(body), Write());

    /// <summary>Updates (optimistically, with the body's resourceVersion) through the registry.</summary>
    public JsonObject Update(ResourceType t, JsonObject body, string? subresource = null) =>
        Registry.Update(t, Json.Str(Json.At(body, "metadata", "namespace")) is { Length: > 0 } ns ? ns : null, Json.Name(body), Wire(body), subresource, Write());

    /// <summary>Numbers built in code are re-read as JSON numbers, as the schema checks expect of request bodies.</summary>
    private static JsonObject Wire(JsonObject body) => JsonNode.Parse(body.ToJsonString())!.AsObject();

    private sealed class Progress(string fingerprint, DateTimeOffset since)
    {
        public string Fingerprint { get; } = fingerprint;

        public DateTimeOffset Since { get; } = since;

        public bool Reported { get; set; }
    }
}
