using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Runtime.Tests.Controllers;

public sealed class LeaderElectorTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>
{
    private static readonly LeaderElectionOptions Fast = new()
    {
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1.5),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public async Task OnlyOneCandidateLeadsAndAnotherTakesOverWhenItStops()
    {
        var lease = new ObjectKey("kube-system", "weir-test-" + Guid.NewGuid().ToString("N")[..6]);
        var a = new LeaderElector(cluster.NewClient(), lease, "a", Fast);
        var b = new LeaderElector(cluster.NewClient(), lease, "b", Fast);
        var leading = 0;
        var maxLeading = 0;
        var leaders = new List<string>();

        async Task Lead(string who, CancellationToken token)
        {
            lock (leaders)
            {
                leaders.Add(who);
                maxLeading = Math.Max(maxLeading, ++leading);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            finally
            {
                lock (leaders)
                {
                    leading--;
                }
            }
        }

        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunAsync(t => Lead("a", t), stopA.Token);
        await WaitUntil(() => leaders.Count == 1);
        var runB = b.RunAsync(t => Lead("b", t), stopB.Token);
        await Task.Delay(1000);
        Assert.Equal(["a"], leaders);

        // a vanishes without releasing (as with kill -9): b must wait for the lease to expire, then lead.
        await stopA.CancelAsync();
        await runA.WaitAsync(TimeSpan.FromSeconds(5));
        var stoppedAt = DateTime.UtcNow;
        await WaitUntil(() => leaders.Count == 2);
        Assert.Equal(["a", "b"], leaders);
        Assert.True(DateTime.UtcNow - stoppedAt < TimeSpan.FromSeconds(5), "takeover took longer than the lease duration allows");
        Assert.Equal(1, maxLeading);

        var held = await cluster.Client.GetAsync(KubeResource.Lease, lease);
        Assert.Equal("b", held!["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, held["spec"]!["leaseTransitions"]!.GetValue<int>());
        await stopB.CancelAsync();
        await runB.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10s");
            await Task.Delay(20);
        }
    }
}
