using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// Runs the simulated controllers and kubelet off the store's change feed on one background loop: changes mark objects
/// dirty, each round reconciles every dirty object once (so bursts are batched), and later checks (pods becoming
/// ready, progress deadlines) wait in one time-ordered queue rather than in per-object timers. Pods are followed in an
/// index (by namespace and controller), so a pod change wakes only its controller and the Services selecting it.
/// Writes go through the registry like any controller's, so they bump resourceVersions and reach watchers; the feed
/// never blocks the writers that fill it.
/// </summary>
public sealed class WorkloadSimulator
{
    private static readonly TimeSpan ConflictRetry = TimeSpan.FromMilliseconds(200);

    private readonly SimulationContext _ctx;
    private readonly WatchSubscription _feed;
    private readonly OwnedReplicaSets _owned = new();
    private readonly DeploymentSimulation _deployments;
    private readonly ReplicaSetSimulation _replicaSets;
    private readonly StatefulSetSimulation _statefulSets;
    private readonly DaemonSetSimulation _daemonSets;
    private readonly JobSimulation _jobs;
    private readonly ClaimSimulation _claims;
    private readonly EndpointsSimulation _endpoints;
    private readonly KubeletSimulation _kubelet;
    private readonly NodeSimulation _node;
    private readonly PriorityQueue<ObjectKey, DateTimeOffset> _timers = new();
    private readonly Dictionary<ObjectKey, DateTimeOffset> _due = [];
    private HashSet<ObjectKey> _dirty = [];
    private Task<bool>? _pendingRead;

    private WorkloadSimulator(GenericRegistry registry, SimulatorOptions options, CancellationToken stopping)
    {
        _ctx = new SimulationContext(registry, options, Schedule, key => _dirty.Add(key), PodChanged);
        _node = new NodeSimulation(_ctx);
        _deployments = new DeploymentSimulation(_ctx, _owned);
        _replicaSets = new ReplicaSetSimulation(_ctx);
        _statefulSets = new StatefulSetSimulation(_ctx);
        _daemonSets = new DaemonSetSimulation(_ctx, _node);
        _jobs = new JobSimulation(_ctx);
        _claims = new ClaimSimulation(_ctx);
        _endpoints = new EndpointsSimulation(_ctx);
        _kubelet = new KubeletSimulation(_ctx);
        _feed = registry.Store.Subscribe(_ => Seed(registry.Store));
        Completion = Task.Run(() => RunAsync(stopping), CancellationToken.None);
    }

    /// <summary>Finishes when the simulator has stopped.</summary>
    public Task Completion { get; }

    /// <summary>Objects reconciled so far (for benchmarks and tests).</summary>
    public long Reconciled { get; private set; }

    /// <summary>The last unexpected failure of a reconcile, if any (the loop carries on).</summary>
    public Exception? LastError { get; private set; }

    public static WorkloadSimulator Start(GenericRegistry registry, SimulatorOptions options, CancellationToken stopping) =>
        new(registry, options, stopping);

    /// <summary>Stops following the store and waits for the loop to end.</summary>
    public async Task StopAsync()
    {
        _feed.Dispose();
        try
        {
            await Completion;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting.
        }
    }

    private static bool Watched(ObjectKey key) => (key.Group, key.Resource) is
        ("apps", "deployments") or ("apps", "replicasets") or ("apps", "statefulsets") or ("apps", "daemonsets") or
        ("batch", "jobs") or ("", "persistentvolumeclaims") or ("", "services") or ("", "pods");

    /// <summary>Everything already stored is checked once at start (runs under the store's gate, before the first live change).</summary>
    private void Seed(ObjectStore store)
    {
        foreach (var (group, resource) in new[] { ("", "services"), ("", "pods"), ("apps", "replicasets"), ("apps", "deployments"), ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "jobs"), ("", "persistentvolumeclaims") })
        {
            foreach (var o in store.List(group, resource, null))
            {
                switch (resource)
                {
                    case "replicasets":
                        _owned.Observe(o.Key, "ADDED", o.Json);
                        break;
                    case "services":
                        _endpoints.ObserveService(o.Key, "ADDED", o.Json);
                        break;
                    case "pods":
                        _ctx.PodIndex.Observe(o.Key, o.ResourceVersion, JsonNode.Parse(o.Json) as JsonObject, own: false);
                        break;
                }
                _dirty.Add(o.Key);
            }
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            Run(new ObjectKey("", "nodes", "", _ctx.Options.NodeName), _node.Ensure);
            while (!stopping.IsCancellationRequested)
            {
                while (_feed.Reader.TryRead(out var change))
                {
                    Observe(change);
                }
                FireTimers();
                if (_dirty.Count > 0)
                {
                    ReconcileRound();
                    continue;
                }
                if (!await WaitAsync(stopping))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Server stopping.
        }
        catch (ObjectDisposedException)
        {
            // Store closed while stopping.
        }
    }

    private void Observe(ChangeEvent change)
    {
        var key = change.Key;
        if (!Watched(key))
        {
            return;
        }
        if (key.Resource == "pods")
        {
            ObservePod(change);
            return;
        }
        if (key.Resource == "replicasets" && _owned.Observe(key, change.Type, change.Json) is { } owner)
        {
            _dirty.Add(new ObjectKey("apps", "deployments", key.Namespace, owner));
        }
        if (key.Resource == "services")
        {
            _endpoints.ObserveService(key, change.Type, change.Json);
        }
        if (change.Type == "DELETED")
        {
            _ctx.Forget(key);
            _due.Remove(key);
            if (key.Resource != "services")
            {
                return;
            }
        }
        _dirty.Add(key);
    }

    /// <summary>A pod change from the feed: the kubelet looks at it unless it is the simulator's own write, seen already.</summary>
    private void ObservePod(ChangeEvent change)
    {
        var deleted = change.Type == "DELETED";
        var pod = deleted ? null : JsonNode.Parse(change.Json) as JsonObject;
        var observed = _ctx.PodIndex.Observe(change.Key, change.ResourceVersion, pod, own: false);
        if (deleted)
        {
            _ctx.Forget(change.Key);
            _due.Remove(change.Key);
        }
        else if (observed is not null)
        {
            _dirty.Add(change.Key);
        }
        _ctx.PodChanged(observed);
    }

    /// <summary>A pod appeared, changed in a way that matters, or went: its controller and the Services selecting it look again.</summary>
    private void PodChanged(PodInfo? before, PodInfo? after)
    {
        if (before is not null && after is not null && before.SameFor(after))
        {
            return;
        }
        var pod = (after ?? before)!;
        if (ControllerResource(pod.ControllerKind) is { } resource)
        {
            _dirty.Add(new ObjectKey(resource.Group, resource.Resource, pod.Namespace, pod.ControllerName));
        }
        foreach (var service in _endpoints.Affected(before, after))
        {
            _dirty.Add(service);
        }
    }

    private static (string Group, string Resource)? ControllerResource(string kind) => kind switch
    {
        "ReplicaSet" => ("apps", "replicasets"),
        "StatefulSet" => ("apps", "statefulsets"),
        "DaemonSet" => ("apps", "daemonsets"),
        "Job" => ("batch", "jobs"),
        _ => null,
    };

    private void Schedule(ObjectKey key, DateTimeOffset at)
    {
        if (_due.TryGetValue(key, out var existing) && existing <= at)
        {
            return;
        }
        _due[key] = at;
        _timers.Enqueue(key, at);
    }

    private void FireTimers()
    {
        var now = SimulationContext.Now;
        while (_timers.TryPeek(out var key, out var at) && at <= now)
        {
            _timers.Dequeue();
            if (_due.TryGetValue(key, out var due) && due == at)
            {
                _due.Remove(key);
                _dirty.Add(key);
            }
        }
    }

    private void ReconcileRound()
    {
        var batch = _dirty;
        _dirty = [];
        foreach (var key in batch)
        {
            Run(key, () => Dispatch(key));
        }
    }

    private void Dispatch(ObjectKey key)
    {
        switch (key.Resource)
        {
            case "deployments":
                _deployments.Reconcile(key);
                break;
            case "replicasets":
                _replicaSets.Reconcile(key);
                break;
            case "statefulsets":
                _statefulSets.Reconcile(key);
                break;
            case "daemonsets":
                _daemonSets.Reconcile(key);
                break;
            case "jobs":
                _jobs.Reconcile(key);
                break;
            case "persistentvolumeclaims":
                _claims.Reconcile(key);
                break;
            case "services":
                _endpoints.Reconcile(key);
                break;
            case "pods":
                _kubelet.Reconcile(key);
                break;
            case "nodes":
                _node.Ensure();
                break;
        }
    }

    private void Run(ObjectKey key, Action reconcile)
    {
        Reconciled++;
        try
        {
            reconcile();
        }
        catch (ApiException e) when (e.Code == 409)
        {
            // Someone wrote in between: look again shortly, with what they wrote.
            Schedule(key, SimulationContext.Now + ConflictRetry);
        }
        catch (ApiException e) when (e.Code is 404 or 403)
        {
            // Deleted meanwhile, or its namespace is terminating.
        }
        catch (Exception e) when (e is ApiException or InvalidOperationException or FormatException or System.Text.Json.JsonException)
        {
            LastError = e;
        }
    }

    /// <summary>Waits for the next change or the next due check; false when the feed has closed.</summary>
    private async Task<bool> WaitAsync(CancellationToken stopping)
    {
        _pendingRead ??= _feed.Reader.WaitToReadAsync(stopping).AsTask();
        if (_timers.TryPeek(out _, out var at))
        {
            var delay = at - SimulationContext.Now;
            if (delay > TimeSpan.Zero)
            {
                using var cancelTimer = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                await Task.WhenAny(_pendingRead, Task.Delay(delay, cancelTimer.Token));
                await cancelTimer.CancelAsync();
            }
        }
        else
        {
            await Task.WhenAny(_pendingRead);
        }
        if (!_pendingRead.IsCompleted)
        {
            return true;
        }
        var open = await _pendingRead;
        _pendingRead = null;
        return open;
    }
}
