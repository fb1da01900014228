using System.Diagnostics;
using Weir.Core.Conditions;
using Weir.Core.Objects;

namespace Weir.Runtime.Controllers;

/// <summary>
/// What a reconcile asks of the loop: nothing more, another run after a delay, or a retry with exponential
/// backoff (capped at <see cref="RequeueAfter"/> when given, so a failing object is retried at least once per
/// interval).
/// </summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter, bool Backoff = false)
{
    public static ReconcileResult Done => new(null);

    public static ReconcileResult After(TimeSpan delay) => new(delay);

    public static ReconcileResult Retry(TimeSpan? atMost = null) => new(atMost, Backoff: true);
}

/// <summary>One kind's reconcile logic, called with the key of an object that may have changed.</summary>
public interface IReconciler
{
    /// <summary>The kind this reconciler owns, used in metrics (<c>OCIRepository</c>, <c>Kustomization</c>).</summary>
    string Kind { get; }

    /// <summary>
    /// The <c>Ready=False</c> reason an exception escaping <see cref="ReconcileAsync"/> is reported with (Flux's
    /// generic failure reason of the kind).
    /// </summary>
    string FailureReason => ConditionReasons.ReconciliationFailed;

    /// <summary>
    /// Brings one object to its desired state. Expected failures are the reconciler's to report; an exception that
    /// escapes is logged, reported as <c>Ready=False</c> with its message, and retried with backoff.
    /// </summary>
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}

/// <summary>
/// Runs reconciles over a work queue with at most <c>workers</c> of them working at once (a reconcile sleeping in
/// <see cref="WorkerSlot.DelayAsync"/> does not count). The queue guarantees no two reconciles hold one key; the
/// loop turns each outcome into the next enqueue: an error backs off exponentially, a result with
/// <see cref="ReconcileResult.RequeueAfter"/> comes back after that delay, and success resets the backoff.
/// An exception escaping a reconcile is the one place unexpected errors end: <paramref name="onError"/> logs it and
/// <paramref name="markFailed"/> writes it to the object's status.
/// </summary>
public sealed class ControllerLoop(
    string name, WorkQueue<ObjectKey> queue, IReconciler reconciler, int workers, ControllerMetrics? metrics = null,
    Action<ObjectKey, Exception>? onError = null, Func<ObjectKey, Exception, CancellationToken, Task>? markFailed = null)
{
    public string Name { get; } = name;

    public WorkQueue<ObjectKey> Queue { get; } = queue;

    public Task RunAsync(CancellationToken cancellationToken)
    {
        if (workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(workers), "a controller needs at least one worker");
        }

        cancellationToken.Register(Queue.ShutDown);
        return Task.Run(() => DispatchAsync(cancellationToken), CancellationToken.None);
    }

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(workers);
        var inFlight = 1; // the dispatcher itself, so "all finished" cannot fire before the queue has shut down
        var allFinished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Finished()
        {
            if (Interlocked.Decrement(ref inFlight) == 0)
            {
                allFinished.SetResult();
            }
        }

        while (true)
        {
            await slots.WaitAsync(CancellationToken.None);
            var (ok, key) = await Queue.GetAsync(CancellationToken.None);
            if (!ok)
            {
                slots.Release();
                break;
            }

            Interlocked.Increment(ref inFlight);
            _ = Task.Run(async () =>
            {
                try
                {
                    await WorkerSlot.RunHoldingAsync(slots, () => ProcessAsync(key, cancellationToken));
                }
                finally
                {
                    Finished();
                }
            }, CancellationToken.None);
        }

        Finished();
        await allFinished.Task;
    }

    private async Task ProcessAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var result = "success";
        try
        {
            var outcome = await reconciler.ReconcileAsync(key, cancellationToken);
            if (outcome.Backoff)
            {
                result = "error";
                Queue.AddRateLimited(key, outcome.RequeueAfter);
            }
            else
            {
                Queue.Forget(key);
                if (outcome.RequeueAfter is { } delay)
                {
                    result = "requeue_after";
                    Queue.AddAfter(key, delay);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result = "canceled";
        }
        catch (Exception error)
        {
            result = "error";
            onError?.Invoke(key, error);
            await MarkFailedAsync(key, error, cancellationToken);
            Queue.AddRateLimited(key);
        }
        finally
        {
            metrics?.Reconciled(Name, reconciler.Kind, key, watch.Elapsed, result);
            Queue.Done(key);
        }
    }

    private async Task MarkFailedAsync(ObjectKey key, Exception error, CancellationToken cancellationToken)
    {
        if (markFailed is null)
        {
            return;
        }

        try
        {
            await markFailed(key, error, cancellationToken);
        }
        catch (Exception statusError)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                onError?.Invoke(key, statusError);
            }
        }
    }
}
