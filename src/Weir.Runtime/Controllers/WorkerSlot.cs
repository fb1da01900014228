namespace Weir.Runtime.Controllers;

/// <summary>
/// The worker a reconcile runs on. A controller's <c>--concurrent</c> bounds the reconciles doing work at once;
/// a reconcile that only sleeps between polls (health checks, stage waits) gives its slot back for the sleep, so
/// hundreds of objects waiting for their workloads do not stop others from being applied. Outside a
/// <see cref="ControllerLoop"/> (tests calling a reconciler directly) there is no slot and a sleep is a plain delay.
/// </summary>
public sealed class WorkerSlot
{
    private static readonly AsyncLocal<WorkerSlot?> CurrentSlot = new();
    private readonly SemaphoreSlim _slots;

    private WorkerSlot(SemaphoreSlim slots) => _slots = slots;

    /// <summary>Runs <paramref name="work"/> as the holder of one of <paramref name="slots"/>, which it has acquired.</summary>
    internal static async Task RunHoldingAsync(SemaphoreSlim slots, Func<Task> work)
    {
        CurrentSlot.Value = new WorkerSlot(slots);
        try
        {
            await work();
        }
        finally
        {
            CurrentSlot.Value = null;
            slots.Release();
        }
    }

    /// <summary>Sleeps without holding a worker, then waits for a free one before going on.</summary>
    public static async Task DelayAsync(TimeSpan delay, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (CurrentSlot.Value is not { } slot)
        {
            await Task.Delay(delay, clock, cancellationToken);
            return;
        }

        slot._slots.Release();
        try
        {
            await Task.Delay(delay, clock, cancellationToken);
        }
        finally
        {
            // Reacquired even when canceled: the loop releases the slot once when the reconcile ends.
            await slot._slots.WaitAsync(CancellationToken.None);
        }
    }
}
