using System.Collections.Concurrent;

namespace Weir.Runtime.Controllers;

/// <summary>
/// Per-key exponential backoff as controller-runtime configures it for Flux (<c>--min-retry-delay=750ms</c>,
/// <c>--max-retry-delay=15m</c>): the n-th consecutive failure of a key waits min·2ⁿ⁻¹, capped at max.
/// </summary>
public sealed class ExponentialBackoff(TimeSpan? minDelay = null, TimeSpan? maxDelay = null)
{
    private readonly ConcurrentDictionary<object, int> _failures = new();

    public TimeSpan MinDelay { get; } = minDelay ?? TimeSpan.FromMilliseconds(750);

    public TimeSpan MaxDelay { get; } = maxDelay ?? TimeSpan.FromMinutes(15);

    /// <summary>Records a failure of <paramref name="key"/> and returns how long to wait before retrying it.</summary>
    public TimeSpan When(object key)
    {
        var failures = _failures.AddOrUpdate(key, 1, (_, n) => n + 1);
        var exponent = Math.Min(failures - 1, 40);
        var ticks = MinDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public int Failures(object key) => _failures.GetValueOrDefault(key);

    /// <summary>Forgets a key's failures after it succeeds.</summary>
    public void Forget(object key) => _failures.TryRemove(key, out _);
}
