using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// What every simulated controller shares: the registry it writes through (as kube-controller-manager would), the
/// clock of each object's current rollout, scheduling of later checks, and the event recorder.
/// </summary>
internal sealed class SimulationContext
{
    public const string Manager = "kube-controller-manager";

    private readonly Dictionary<ObjectKey, Progress> _progress = [];
    private readonly Action<ObjectKey, DateTimeOffset> _schedule;
    private readonly Action<ObjectKey> _requeue;

    public SimulationContext(GenericRegistry registry, SimulatorOptions options, Action<ObjectKey, DateTimeOffset> schedule, Action<ObjectKey> requeue)
    {
        Registry = registry;
        Options = options;
        _schedule = schedule;
        _requeue = requeue;
        Events = new EventRecorder(registry);
        Deployments = Type("apps", "deployments");
        ReplicaSets = Type("apps", "replicasets");
        StatefulSets = Type("apps", "statefulsets");
        DaemonSets = Type("apps", "daemonsets");
        Jobs = Type("batch", "jobs");
        Claims = Type("", "persistentvolumeclaims");
        Services = Type("", "services");
        Endpoints = Type("", "endpoints");
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
    public DateTimeOffset Since(ObjectKey key, string fingerprint)
    {
        if (!_progress.TryGetValue(key, out var p) || p.Fingerprint != fingerprint)
        {
            p = new Progress(fingerprint, Now);
            _progress[key] = p;
        }
        return p.Since;
    }

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

    /// <summary>Writes <paramref name="status"/> through the status subresource unless it is what is stored; true when written.</summary>
    public bool WriteStatus(ResourceType t, JsonObject obj, JsonObject status)
    {
        if (JsonNode.DeepEquals(obj["status"], status))
        {
            return false;
        }
        var body = (JsonObject)obj.DeepClone();
        body["status"] = status.DeepClone();
        Update(t, body, "status");
        return true;
    }

    /// <summary>Creates through the registry, as a client would (the body is re-read as wire JSON).</summary>
    public JsonObject Create(ResourceType t, string ns, JsonObject body) => Registry.Create(t, ns, Wire(body), Write());

    /// <summary>Updates (optimistically, with the body's resourceVersion) through the registry.</summary>
    public JsonObject Update(ResourceType t, JsonObject body, string? subresource = null) =>
        Registry.Update(t, Json.Str(Json.At(body, "metadata", "namespace")) is { Length: > 0 } ns ? ns : null, Json.Name(body), Wire(body), subresource, Write());

    /// <summary>Numbers built in code are re-read as JSON numbers, as the schema checks expect of request bodies.</summary>
    private static JsonObject Wire(JsonObject body) => JsonNode.Parse(body.ToJsonString())!.AsObject();

    /// <summary>The kubelet's events for pods that cannot pull a broken image, once per rollout.</summary>
    public void ReportPullFailure(ObjectKey owner, IEnumerable<string> podNames, (string Container, string Image, string FieldPath) broken)
    {
        if (!FirstReport(owner))
        {
            return;
        }
        foreach (var pod in podNames)
        {
            Events.PullFailure(owner.Namespace, pod, broken.Image, broken.FieldPath, Options.NodeName);
        }
    }

    private sealed class Progress(string fingerprint, DateTimeOffset since)
    {
        public string Fingerprint { get; } = fingerprint;

        public DateTimeOffset Since { get; } = since;

        public bool Reported { get; set; }
    }
}
