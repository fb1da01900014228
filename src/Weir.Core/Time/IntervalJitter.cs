namespace Weir.Core.Time;

/// <summary>
/// Spreads requeue times the way Flux's <c>--interval-jitter-percentage</c> does: the interval is moved by a
/// random amount within ±percentage, so objects created together do not reconcile in lock-step.
/// </summary>
public sealed class IntervalJitter(double percentage = IntervalJitter.DefaultPercentage, Random? random = null)
{
    public const double DefaultPercentage = 5;

    private readonly Random _random = random ?? Random.Shared;

    public double Percentage { get; } = percentage is >= 0 and < 100
        ? percentage
        : throw new ArgumentOutOfRangeException(nameof(percentage), "jitter percentage must be in [0, 100)");

    public TimeSpan Apply(TimeSpan interval)
    {
        var spread = interval.Ticks * Percentage / 100;
        var offset = (_random.NextDouble() * 2 - 1) * spread;
        return TimeSpan.FromTicks(interval.Ticks + (long)offset);
    }
}
