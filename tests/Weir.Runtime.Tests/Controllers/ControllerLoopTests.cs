using System.Collections.Concurrent;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;


namespace Weir.Runtime.Tests.Controllers;

public class ControllerLoopTests
{
    private sealed class ScriptedReconciler(Func<ObjectKey, int, ReconcileResult> script) : IReconciler
    {
        private readonly ConcurrentDictionary<ObjectKey, int> _calls = new();
        private int _running;

        public string Kind => "Widget";

        public int MaxConcurrentPerKey { get; private set; }

        public int Calls(ObjectKey key) => _calls.GetValueOrDefault(key);

        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            var running = Interlocked.Increment(ref _running);
            MaxConcurrentPerKey = Math.Max(MaxConcurrentPerKey, running);
            try
            {
                await Task.Delay(20, cancellationToken);
                var n = _calls.AddOrUpdate(key, 1, (_, c) => c + 1);
                return script(key, n);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    [Fact]
    public async Task FailuresRetryWithBackoffAndSuccessRecordsMetrics()
    {
        var key = new ObjectKey("flux-system", "apps");
        var reconciler = new ScriptedReconciler((_, n) => n < 3 ? throw new InvalidOperationException("boom") : ReconcileResult.Done);
        var metrics = new ControllerMetrics();
        var queue = new WorkQueue<ObjectKey>("widget", new ExponentialBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50)), metrics: metrics);
        var errors = new ConcurrentBag<string>();
        var loop = new ControllerLoop("widget", queue, reconciler, workers: 2, metrics, (_, e) => errors.Add(e.Message));
        using var cts = new CancellationTokenSource();
        var running = loop.RunAsync(cts.Token);

        queue.Add(key);
        await WaitUntil(() => reconciler.Calls(key) == 3);
        cts.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["boom", "boom"], errors);
        var text = await metrics.ExportAsync();
        Assert.Contains("controller_runtime_reconcile_errors_total{controller=\"widget\"} 2", text);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"widget\",result=\"success\"} 1", text);
        Assert.Contains("gotk_reconcile_duration_seconds_count{kind=\"Widget\",name=\"apps\",namespace=\"flux-system\"} 3", text);
    }

    [Fact]
    public async Task RequeueAfterBringsTheKeyBackAndOneKeyNeverRunsTwiceAtOnce()
    {
        var key = new ObjectKey("default", "w");
        var reconciler = new ScriptedReconciler((_, n) => n < 4 ? ReconcileResult.After(TimeSpan.FromMilliseconds(10)) : ReconcileResult.Done);
        var queue = new WorkQueue<ObjectKey>("widget");
        var loop = new ControllerLoop("widget", queue, reconciler, workers: 4);
        using var cts = new CancellationTokenSource();
        var running = loop.RunAsync(cts.Token);

        for (var i = 0; i < 20; i++)
        {
            queue.Add(key);
        }

        await WaitUntil(() => reconciler.Calls(key) >= 4);
        cts.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, reconciler.MaxConcurrentPerKey);
    }

    [Fact]
    public async Task ReconcilesSleepingBetweenPollsDoNotHoldTheWorkers()
    {
        var working = 0;
        var maxWorking = 0;
        var sleeping = 0;
        var maxSleeping = 0;
        var finished = 0;
        var reconciler = new DelegateReconciler(async ct =>
        {
            var now = Interlocked.Increment(ref working);
            InterlockedMax(ref maxWorking, now);
            await Task.Delay(10, ct);
            Interlocked.Decrement(ref working);
            InterlockedMax(ref maxSleeping, Interlocked.Increment(ref sleeping));
            await WorkerSlot.DelayAsync(TimeSpan.FromMilliseconds(300), TimeProvider.System, ct);
            Interlocked.Decrement(ref sleeping);
            now = Interlocked.Increment(ref working);
            InterlockedMax(ref maxWorking, now);
            Interlocked.Decrement(ref working);
            Interlocked.Increment(ref finished);
            return ReconcileResult.Done;
        });
        var queue = new WorkQueue<ObjectKey>("widget");
        var loop = new ControllerLoop("widget", queue, reconciler, workers: 2);
        using var cts = new CancellationTokenSource();
        var running = loop.RunAsync(cts.Token);

        for (var i = 0; i < 8; i++)
        {
            queue.Add(new ObjectKey("default", $"w{i}"));
        }

        await WaitUntil(() => Volatile.Read(ref finished) == 8);
        cts.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(maxWorking <= 2, $"at most 2 reconciles work at once, saw {maxWorking}");
        Assert.True(maxSleeping > 2, $"sleeping reconciles gave their workers back, but only {maxSleeping} slept at once");
    }

    private sealed class DelegateReconciler(Func<CancellationToken, Task<ReconcileResult>> body) : IReconciler
    {
        public string Kind => "Widget";

        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => body(cancellationToken);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10s");
            await Task.Delay(10);
        }
    }
}
