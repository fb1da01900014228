using Weir.Controllers.Apply;
using Weir.Controllers.Kube;

namespace Weir.Controllers.Health;

/// <summary>
/// Waits for a set of objects to become Current, polling their kstatus, as Flux's WaitForSet does: it stops when
/// all are Current, or when every one is terminal (Current or Failed), or at the timeout. The failure message lists
/// each object that is not Current: <c>timeout waiting for: [Deployment/ns/name status: 'InProgress']</c>, or
/// <c>failed early due to stalled resources: […]</c> when the set settled with failures before the timeout.
/// </summary>
public sealed class HealthChecker(ResourceClient client, ResourceMapper mapper, TimeProvider? clock = null)
{
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
        while (true)
        {
            foreach (var o in objects)
            {
                last[o] = await StatusOfAsync(o, cancellationToken);
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
            await Task.Delay(wait < interval ? (wait > TimeSpan.Zero ? wait : TimeSpan.Zero) : interval, _clock, cancellationToken);
        }
    }

    /// <summary>The current status of one object.</summary>
    public async Task<(ObjectHealth Health, string? Error)> StatusOfAsync(ObjectRef o, CancellationToken cancellationToken)
    {
        try
        {
            var resource = await mapper.MapAsync(o.Gvk, cancellationToken);
            var obj = await client.GetAsync(resource, new(resource.Namespaced ? o.Namespace : "", o.Name), cancellationToken);
            return (KStatus.Compute(obj), null);
        }
        catch (Exception e) when (e is KubeApiException or NoKindMatchException or HttpRequestException)
        {
            return (new ObjectHealth(HealthStatus.Unknown, e.Message), e.Message);
        }
    }
}
