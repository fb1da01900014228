using Weir.Cluster.Api;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// Runs the simulated controllers off the store's change feed on one background loop: changes mark objects dirty,
/// each round reconciles every dirty object once (so bursts are batched), and later checks (pods becoming ready,
/// progress deadlines) wait in one time-ordered queue rather than in per-object timers. Writes go through the
/// registry's status subresource like any controller's, so they bump resourceVersions and reach watchers; the feed
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
    private readonly PriorityQueue<ObjectKey, DateTimeOffset> _timers = new();
    private readonly Dictionary<ObjectKey, DateTimeOffset> _due = [];
    private HashSet<ObjectKey> _dirty = [];
    private HashSet<string> _endpointNamespaces = [];
    private Task<bool>? _pendingRead;

    private WorkloadSimulator(GenericRegistry registry, SimulatorOptions options, CancellationToken stopping)
    {
        _ctx = new SimulationContext(registry, options, Schedule, key => _dirty.Add(key));
        _deployments = new DeploymentSimulation(_ctx, _owned);
        _replicaSets = new ReplicaSetSimulation(_ctx);
        _statefulSets = new StatefulSetSimulation(_ctx);
        _daemonSets = new DaemonSetSimulation(_ctx);
        _jobs = new JobSimulation(_ctx);
        _claims = new ClaimSimulation(_ctx);
        _endpoints = new EndpointsSimulation(_ctx);
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
        ("batch", "jobs") or ("", "persistentvolumeclaims") or ("", "services");

    private static bool HasPods(ObjectKey key) => (key.Group, key.Resource) is ("apps", "deployments") or ("apps", "statefulsets") or ("apps", "daemonsets");

    /// <summary>Everything already stored is checked once at start (runs under the store's gate, before the first live change).</summary>
    private void Seed(ObjectStore store)
    {
        foreach (var (group, resource) in new[] { ("apps", "replicasets"), ("apps", "deployments"), ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "jobs"), ("", "persistentvolumeclaims"), ("", "services") })
        {
            foreach (var o in store.List(group, resource, null))
            {
                if (resource == "replicasets")
                {
                    _owned.Observe(o.Key, "ADDED", o.Json);
                }
                _dirty.Add(o.Key);
            }
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                while (_feed.Reader.TryRead(out var change))
                {
                    Observe(change);
                }
                FireTimers();
                if (_dirty.Count > 0 || _endpointNamespaces.Count > 0)
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
        if (key.Resource == "replicasets" && _owned.Observe(key, change.Type, change.Json) is { } owner)
        {
            _dirty.Add(new ObjectKey("apps", "deployments", key.Namespace, owner));
        }
        if (HasPods(key))
        {
            _endpointNamespaces.Add(key.Namespace);
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
        _endpoints.BeginRound();
        foreach (var key in batch)
        {
            Run(key, () => Dispatch(key));
        }
        if (_endpointNamespaces.Count == 0)
        {
            return;
        }
        var namespaces = _endpointNamespaces;
        _endpointNamespaces = [];
        foreach (var ns in namespaces)
        {
            foreach (var svc in _ctx.Registry.Store.List("", "services", ns))
            {
                if (!batch.Contains(svc.Key))
                {
                    Run(svc.Key, () => _endpoints.Reconcile(svc.Key));
                }
            }
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
