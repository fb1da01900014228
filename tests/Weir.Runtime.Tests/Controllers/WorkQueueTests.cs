using Microsoft.Extensions.Time.Testing;
using Weir.Runtime.Controllers;


namespace Weir.Runtime.Tests.Controllers;

public class WorkQueueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AKeyAddedManyTimesIsQueuedOnce()
    {
        using var queue = new WorkQueue<string>("q");
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");
        Assert.Equal(2, queue.Depth);
        Assert.Equal("a", (await queue.GetAsync()).Key);
        Assert.Equal("b", (await queue.GetAsync()).Key);
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task AKeyBeingProcessedIsNotHandedOutAgainUntilDone()
    {
        using var queue = new WorkQueue<string>("q");
        queue.Add("a");
        var (_, key) = await queue.GetAsync();
        queue.Add("a");
        Assert.Equal(0, queue.Depth);

        var second = queue.GetAsync();
        await Task.Delay(100);
        Assert.False(second.IsCompleted, "a second worker got a key still being processed");

        queue.Done(key);
        Assert.Equal("a", (await second.WaitAsync(Wait)).Key);
    }

    [Fact]
    public async Task DelayedAddsWaitForTheClockAndTheEarliestWins()
    {
        var clock = new FakeTimeProvider();
        using var queue = new WorkQueue<string>("q", clock: clock);
        queue.AddAfter("a", TimeSpan.FromMinutes(10));
        queue.AddAfter("a", TimeSpan.FromMinutes(1));
        Assert.Equal(0, queue.Depth);

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, queue.Depth);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Depth);

        var (_, key) = await queue.GetAsync();
        queue.Done(key);
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public void BackoffDoublesFromMinToMaxAndResetsOnForget()
    {
        var backoff = new ExponentialBackoff();
        var delays = Enumerable.Range(0, 15).Select(_ => backoff.When("k")).ToList();
        Assert.Equal(TimeSpan.FromMilliseconds(750), delays[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), delays[1]);
        Assert.Equal(TimeSpan.FromMilliseconds(3000), delays[2]);
        Assert.Equal(TimeSpan.FromMinutes(15), delays[^1]);
        Assert.All(delays.Zip(delays.Skip(1)), p => Assert.True(p.First <= p.Second));

        backoff.Forget("k");
        Assert.Equal(TimeSpan.FromMilliseconds(750), backoff.When("k"));
        Assert.Equal(TimeSpan.FromMilliseconds(750), backoff.When("other"));
    }

    [Fact]
    public async Task ShutDownReleasesWaitingWorkers()
    {
        var queue = new WorkQueue<string>("q");
        var waiting = queue.GetAsync();
        queue.ShutDown();
        Assert.False((await waiting.WaitAsync(Wait)).Ok);
        queue.Add("late");
        Assert.Equal(0, queue.Depth);
    }
}
