using System.Globalization;
using System.Text.Json.Nodes;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>What the simulated controllers need to know of one pod.</summary>
internal sealed record PodInfo(
    string Namespace,
    string Name,
    string Uid,
    long ResourceVersion,
    IReadOnlyDictionary<string, string> Labels,
    string ControllerKind,
    string ControllerName,
    string ControllerUid,
    string Phase,
    bool Ready,
    string Ip,
    long Restarts,
    bool Deleting,
    string Created,
    JsonArray Containers)
{
    public ObjectKey Key => new("", "pods", Namespace, Name);

    /// <summary>Counted by its controller: neither finished nor being deleted.</summary>
    public bool Active => Phase is not ("Succeeded" or "Failed") && !Deleting;

    public string Label(string key) => Labels.TryGetValue(key, out var v) ? v : "";

    /// <summary>Whether anything its controller or the Services selecting it look at differs from <paramref name="other"/>.</summary>
    public bool SameFor(PodInfo other) =>
        Phase == other.Phase && Ready == other.Ready && Ip == other.Ip && Restarts == other.Restarts && Deleting == other.Deleting &&
        Labels.Count == other.Labels.Count && Labels.All(kv => other.Labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public static PodInfo From(JsonObject pod, long resourceVersion)
    {
        var meta = pod["metadata"] as JsonObject;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in meta?["labels"] as JsonObject ?? [])
        {
            labels[k] = Json.Str(v);
        }
        var owner = (meta?["ownerReferences"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(r => Json.Bool(r["controller"]));
        var status = pod["status"] as JsonObject;
        var ready = (status?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Any(c => Json.Str(c["type"]) == "Ready" && Json.Str(c["status"]) == "True") ?? false;
        var restarts = (status?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().Sum(c => Json.Int(c["restartCount"])) ?? 0;
        restarts += (status?["initContainerStatuses"] as JsonArray)?.OfType<JsonObject>().Sum(c => Json.Int(c["restartCount"])) ?? 0;
        return new PodInfo(
            Json.Str(meta?["namespace"]),
            Json.Str(meta?["name"]),
            Json.Str(meta?["uid"]),
            resourceVersion,
            labels,
            Json.Str(owner?["kind"]),
            Json.Str(owner?["name"]),
            Json.Str(owner?["uid"]),
            Json.Str(status?["phase"]) is { Length: > 0 } phase ? phase : "Pending",
            ready,
            Json.Str(status?["podIP"]),
            restarts,
            meta?["deletionTimestamp"] is not null,
            Json.Str(meta?["creationTimestamp"]),
            Json.At(pod, "spec", "containers") as JsonArray ?? []);
    }
}

/// <summary>
/// Every pod, by namespace and by controlling owner, kept from the change feed and from the simulator's own writes
/// (so a reconcile sees what it just created or deleted); older versions arriving later are ignored. Also hands out
/// pod IPs, unique while the pods that hold them exist.
/// </summary>
internal sealed class PodIndex
{
    private readonly Dictionary<string, Dictionary<string, PodInfo>> _byNamespace = [];
    private readonly Dictionary<(string Namespace, string Kind, string Name), HashSet<string>> _byController = [];
    private readonly Dictionary<ObjectKey, long> _deleted = [];
    private readonly Dictionary<string, ObjectKey> _ips = new(StringComparer.Ordinal);
    private readonly Dictionary<ObjectKey, string> _ipOf = [];

    /// <summary>
    /// Records a pod's new state (null when deleted); returns the state before and after, or null when the change was
    /// stale or changes nothing. <paramref name="own"/> marks the simulator's own writes, seen before the feed brings them.
    /// </summary>
    public (PodInfo? Before, PodInfo? After)? Observe(ObjectKey key, long resourceVersion, JsonObject? pod, bool own)
    {
        var before = Find(key.Namespace, key.Name);
        if (before is not null && resourceVersion <= before.ResourceVersion)
        {
            return null;
        }
        if (_deleted.TryGetValue(key, out var gone))
        {
            if (resourceVersion <= gone)
            {
                if (resourceVersion == gone)
                {
                    _deleted.Remove(key);
                }
                return null;
            }
            _deleted.Remove(key);
        }
        if (pod is null)
        {
            if (before is null)
            {
                return null;
            }
            Remove(before);
            if (own)
            {
                _deleted[key] = resourceVersion;
            }
            if (_ipOf.Remove(key, out var ip))
            {
                _ips.Remove(ip);
            }
            return (before, null);
        }
        if (before is not null)
        {
            Remove(before);
        }
        var after = PodInfo.From(pod, resourceVersion);
        Add(after);
        return (before, after);
    }

    public PodInfo? Find(string ns, string name) =>
        _byNamespace.TryGetValue(ns, out var pods) && pods.TryGetValue(name, out var pod) ? pod : null;

    public IEnumerable<PodInfo> InNamespace(string ns) => _byNamespace.TryGetValue(ns, out var pods) ? pods.Values : [];

    /// <summary>The pods whose controlling owner is this object (same uid).</summary>
    public List<PodInfo> ControlledBy(string ns, string kind, string name, string uid)
    {
        var found = new List<PodInfo>();
        if (_byController.TryGetValue((ns, kind, name), out var names))
        {
            foreach (var n in names)
            {
                if (Find(ns, n) is { } pod && pod.ControllerUid == uid)
                {
                    found.Add(pod);
                }
            }
        }
        return found;
    }

    /// <summary>A stable-looking IP in 10.244.0.0/16 for a pod, derived from its name and unique among live pods.</summary>
    public string AllocateIp(ObjectKey pod)
    {
        if (_ipOf.TryGetValue(pod, out var held))
        {
            return held;
        }
        var h = PodTemplateHash.Fnv(pod.Namespace + "/" + pod.Name);
        for (var i = 0u; i < 65024; i++)
        {
            var n = ((h + i) % 65024) + 512;
            var ip = string.Create(CultureInfo.InvariantCulture, $"10.244.{n >> 8}.{n & 0xff}");
            if ((n & 0xff) is 0 or 1 or 255)
            {
                continue;
            }
            if (_ips.TryAdd(ip, pod))
            {
                _ipOf[pod] = ip;
                return ip;
            }
        }
        throw new InvalidOperationException("the simulated pod network 10.244.0.0/16 is full");
    }

    private void Add(PodInfo pod)
    {
        if (!_byNamespace.TryGetValue(pod.Namespace, out var pods))
        {
            pods = new Dictionary<string, PodInfo>(StringComparer.Ordinal);
            _byNamespace[pod.Namespace] = pods;
        }
        pods[pod.Name] = pod;
        if (pod.ControllerKind != "")
        {
            var slot = (pod.Namespace, pod.ControllerKind, pod.ControllerName);
            if (!_byController.TryGetValue(slot, out var names))
            {
                names = new HashSet<string>(StringComparer.Ordinal);
                _byController[slot] = names;
            }
            names.Add(pod.Name);
        }
        if (pod.Ip != "" && !_ipOf.ContainsKey(pod.Key))
        {
            _ips[pod.Ip] = pod.Key;
            _ipOf[pod.Key] = pod.Ip;
        }
    }

    private void Remove(PodInfo pod)
    {
        if (_byNamespace.TryGetValue(pod.Namespace, out var pods) && pods.Remove(pod.Name) && pods.Count == 0)
        {
            _byNamespace.Remove(pod.Namespace);
        }
        var slot = (pod.Namespace, pod.ControllerKind, pod.ControllerName);
        if (_byController.TryGetValue(slot, out var names) && names.Remove(pod.Name) && names.Count == 0)
        {
            _byController.Remove(slot);
        }
    }
}
