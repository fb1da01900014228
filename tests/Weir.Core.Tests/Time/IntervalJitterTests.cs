using Weir.Core.Time;

namespace Weir.Core.Tests.Time;

public class IntervalJitterTests
{
    [Fact]
    public void StaysWithinFivePercentAndSpreads()
    {
        var jitter = new IntervalJitter(random: new Random(42));
        var interval = TimeSpan.FromMinutes(10);
        var samples = Enumerable.Range(0, 1000).Select(_ => jitter.Apply(interval)).ToList();
        Assert.All(samples, s => Assert.InRange(s, TimeSpan.FromSeconds(570), TimeSpan.FromSeconds(630)));
        Assert.True(samples.Min() < TimeSpan.FromSeconds(575), "jitter never went low");
        Assert.True(samples.Max() > TimeSpan.FromSeconds(625), "jitter never went high");
    }

    [Fact]
    public void ZeroPercentKeepsTheInterval() =>
        Assert.Equal(TimeSpan.FromSeconds(30), new IntervalJitter(0).Apply(TimeSpan.FromSeconds(30)));

    [Fact]
    public void RejectsAHundredPercent() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntervalJitter(100));
}
