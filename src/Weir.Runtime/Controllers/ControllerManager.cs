using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Runtime.Controllers;

/// <summary>How one controller is set up: the resource it owns, its reconciler, workers and filters.</summary>
public sealed record ControllerRegistration(
    KubeResource Resource, IReconciler Reconciler, int Workers = 2, Func<ObjectChange, bool>? Predicate = null)
{
    public string Name => Resource.Kind.ToLowerInvariant();
}

/// <summary>
/// Runs a set of controllers: one informer, work queue and worker loop per registration. Informer changes that
/// pass the predicate enqueue the object's key; deletions always do, so reconcilers can clean up.
/// <see cref="Enqueue"/> lets one controller's events wake another (a source's new artifact wakes its appliers).
/// A reconcile that throws is reported to <c>onError</c> and written to the object as <c>Ready=False</c>
/// (<see cref="FailureStatus"/>).
/// </summary>
public sealed class ControllerManager(ResourceClient client, ControllerMetrics metrics, string? ns = null, string? labelSelector = null,
    TimeSpan? resyncPeriod = null, Action<string, ObjectKey, Exception>? onError = null)
{
    private readonly List<(ControllerRegistration Registration, Informer Informer, WorkQueue<ObjectKey> Queue)> _controllers = [];
    private readonly List<(KubeResource Resource, Informer Informer)> _watches = [];

    public ControllerMetrics Metrics { get; } = metrics;

    public Informer Add(ControllerRegistration registration)
    {
        var informer = new Informer(client, registration.Resource, ns, labelSelector, resyncPeriod);
        var queue = new WorkQueue<ObjectKey>(registration.Name, metrics: Metrics);
        var predicate = registration.Predicate ?? Predicates.GenerationOrRequestChanged;
        informer.OnChange(change =>
        {
            if (change.New is null || predicate(change))
            {
                queue.Add(change.Key);
            }
        });
        _controllers.Add((registration, informer, queue));
        return informer;
    }

    /// <summary>True when a controller for <paramref name="resource"/> was added.</summary>
    public bool Runs(KubeResource resource) => _controllers.Any(c => c.Registration.Resource == resource);

    /// <summary>
    /// An informer for a kind no controller here reconciles, so others can follow its changes (the Kustomization follows
    /// ExternalArtifacts, which their producers write); <see cref="InformerFor"/> returns it.
    /// </summary>
    public Informer Watch(KubeResource resource)
    {
        var informer = new Informer(client, resource, ns, labelSelector, resyncPeriod);
        _watches.Add((resource, informer));
        return informer;
    }

    public Informer InformerFor(KubeResource resource) =>
        _controllers.SingleOrDefault(c => c.Registration.Resource == resource).Informer ?? _watches.Single(w => w.Resource == resource).Informer;

    public void Enqueue(KubeResource resource, ObjectKey key) => _controllers.Single(c => c.Registration.Resource == resource).Queue.Add(key);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var tasks = new List<Task>();
        var failures = new FailureStatus(client);
        foreach (var (registration, informer, queue) in _controllers)
        {
            tasks.Add(informer.RunAsync(cancellationToken));
            var loop = new ControllerLoop(registration.Name, queue, registration.Reconciler, registration.Workers, Metrics,
                (key, error) => onError?.Invoke(registration.Name, key, error),
                (key, error, token) => failures.WriteAsync(registration.Resource, key, registration.Reconciler.FailureReason, error.Message, token));
            tasks.Add(loop.RunAsync(cancellationToken));
        }

        tasks.AddRange(_watches.Select(w => w.Informer.RunAsync(cancellationToken)));
        await Task.WhenAll(tasks);
    }
}
