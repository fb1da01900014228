using Weir.Runtime.Apply;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Runtime.Health;

/// <summary>
/// Waits for a set of objects to become Current, polling their kstatus, as Flux's WaitForSet does: it stops when
/// all are Current, or when every one is terminal (Current or Failed), or at the timeout. Unlike Flux's fixed 5s
/// period, polls start a quarter second apart and double up to the interval, so a workload that is ready a moment
/// after the apply is seen a moment later; objects already Current are not read again. The sleeps between polls
/// do not hold a controller worker (<see cref="WorkerSlot"/>). The failure message lists
/// each object that is not Current: <c>timeout waiting for: [Deployment/ns/name status: 'InProgress']</c>, or
/// <c>failed early due to stalled resources: […]</c> when the set settled with failures before the timeout.
/// </summary>
public sealed class HealthChecker(ResourceClient client, ResourceMapper mapper, TimeProvider? clock = null, CustomHealthChecks? custom = null)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Returns null when all objects are Current, otherwise the failure message.</summary>
    public async Task<string?> WaitAsync(
        IReadOnlyList<ObjectRef> objects, TimeSpan timeout, TimeSpan interval, CancellationToken cancellationToken = default)
    {
        if (objects.Count == 0)
        {
            return null;
        }

        var deadline = _clock.GetUtcNow() + timeout;
        var last = new Dictionary<ObjectRef, (ObjectHealth Health, string? Error)>();
        var pause = interval < FirstPause ? interval : FirstPause;
        while (true)
        {
            foreach (var o in objects)
            {
                if (!last.TryGetValue(o, out var seen) || seen.Health.Status != HealthStatus.Current)
                {
                    last[o] = await StatusOfAsync(o, cancellationToken);
                }
            }

            var statuses = last.Values.Select(v => v.Health.Status).ToList();
            if (statuses.All(s => s == HealthStatus.Current))
            {
                return null;
            }

            var timedOut = _clock.GetUtcNow() >= deadline;
            if (timedOut || statuses.All(s => s is HealthStatus.Current or HealthStatus.Failed))
            {
                var errors = objects
                    .Where(o => last[o].Health.Status == HealthStatus.Failed || (timedOut && last[o].Health.Status != HealthStatus.Current))
                    .Select(o => $"{o.Subject} status: '{last[o].Health.Status}'" + (last[o].Error is { } e ? $": {e}" : ""));
                return $"{(timedOut ? "timeout waiting for" : "failed early due to stalled resources")}: [{string.Join(", ", errors)}]";
            }

            var wait = deadline - _clock.GetUtcNow();
            await WorkerSlot.DelayAsync(wait < pause ? (wait > TimeSpan.Zero ? wait : TimeSpan.Zero) : pause, _clock, cancellationToken);
            pause = pause * 2 < interval ? pause * 2 : interval;
        }
    }

    /// <summary>The current status of one object.</summary>
    public async Task<(ObjectHealth Health, string? Error)> StatusOfAsync(ObjectRef o, CancellationToken cancellationToken)
    {
        try
        {
            var resource = await mapper.MapAsync(o.Gvk, cancellationToken);
            var obj = await client.GetAsync(resource, new(resource.Namespaced ? o.Namespace : "", o.Name), cancellationToken);
            if (obj is not null && custom?.Compute(obj) is { } byExpression)
            {
                return (byExpression, byExpression.Status == HealthStatus.Unknown ? byExpression.Message : null);
            }

            return (KStatus.Compute(obj), null);
        }
        catch (Exception e) when (e is KubeApiException or NoKindMatchException or HttpRequestException)
        {
            return (new ObjectHealth(HealthStatus.Unknown, e.Message), e.Message);
        }
    }
}
