using System.Threading.Channels;

namespace Weir.Runtime.Controllers;

/// <summary>
/// A de-duplicating work queue with client-go's guarantees: a key waiting in the queue is held once however often
/// it is added; a key being processed is never handed to a second worker, and if it is added meanwhile it is
/// queued again when the first worker calls <see cref="Done"/>. Delayed and rate-limited adds go through timers.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Queue<TKey> _ready = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, DateTimeOffset> _addedAt = [];
    private readonly Dictionary<TKey, (DateTimeOffset Due, ITimer Timer)> _delayed = [];
    private readonly Channel<bool> _signal = Channel.CreateUnbounded<bool>();
    private readonly TimeProvider _clock;
    private readonly ExponentialBackoff _backoff;
    private bool _shuttingDown;

    public WorkQueue(string name, ExponentialBackoff? backoff = null, TimeProvider? clock = null, WorkQueueMetrics? metrics = null)
    {
        Name = name;
        _backoff = backoff ?? new ExponentialBackoff();
        _clock = clock ?? TimeProvider.System;
        Metrics = metrics ?? WorkQueueMetrics.None;
    }

    public string Name { get; }

    public WorkQueueMetrics Metrics { get; }

    /// <summary>Keys waiting to be processed (not counting delayed ones).</summary>
    public int Depth
    {
        get
        {
            lock (_gate)
            {
                return _ready.Count;
            }
        }
    }

    public void Add(TKey key)
    {
        lock (_gate)
        {
            if (_shuttingDown || !_dirty.Add(key))
            {
                return;
            }

            CancelDelayed(key);
            _addedAt[key] = _clock.GetUtcNow();
            if (_processing.Contains(key))
            {
                return;
            }

            _ready.Enqueue(key);
            Metrics.Added(Name, _ready.Count);
        }

        _signal.Writer.TryWrite(true);
    }

    /// <summary>Adds the key after <paramref name="delay"/>; an earlier pending delayed add of the same key wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            var due = _clock.GetUtcNow() + delay;
            if (_delayed.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }

                pending.Timer.Dispose();
            }

            var timer = _clock.CreateTimer(_ => FireDelayed(key, due), null, delay, Timeout.InfiniteTimeSpan);
            _delayed[key] = (due, timer);
        }
    }

    /// <summary>Re-adds a failed key after its exponential backoff, capped at <paramref name="atMost"/> when given.</summary>
    public TimeSpan AddRateLimited(TKey key, TimeSpan? atMost = null)
    {
        var delay = _backoff.When(key);
        if (atMost is { } cap && cap < delay)
        {
            delay = cap;
        }

        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Resets the key's backoff after a success.</summary>
    public void Forget(TKey key) => _backoff.Forget(key);

    /// <summary>Waits for the next key; returns false when the queue shuts down.</summary>
    public async Task<(bool Ok, TKey Key)> GetAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_ready.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    if (_addedAt.Remove(key, out var added))
                    {
                        Metrics.Dequeued(Name, _ready.Count, _clock.GetUtcNow() - added);
                    }

                    return (true, key);
                }

                if (_shuttingDown)
                {
                    return (false, default!);
                }
            }

            try
            {
                await _signal.Reader.ReadAsync(cancellationToken);
            }
            catch (ChannelClosedException)
            {
                // Shut down: loop once more to drain and report.
            }
        }
    }

    /// <summary>Marks the key processed; if it was added while processing, it is queued again now.</summary>
    public void Done(TKey key)
    {
        var requeued = false;
        lock (_gate)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key) && !_shuttingDown)
            {
                _ready.Enqueue(key);
                requeued = true;
            }
        }

        if (requeued)
        {
            _signal.Writer.TryWrite(true);
        }
    }

    public void ShutDown()
    {
        lock (_gate)
        {
            _shuttingDown = true;
            foreach (var (_, pending) in _delayed)
            {
                pending.Timer.Dispose();
            }

            _delayed.Clear();
        }

        _signal.Writer.TryComplete();
    }

    public void Dispose() => ShutDown();

    private void FireDelayed(TKey key, DateTimeOffset due)
    {
        lock (_gate)
        {
            if (!_delayed.TryGetValue(key, out var pending) || pending.Due != due)
            {
                return;
            }

            pending.Timer.Dispose();
            _delayed.Remove(key);
        }

        Add(key);
    }

    private void CancelDelayed(TKey key)
    {
        if (_delayed.Remove(key, out var pending))
        {
            pending.Timer.Dispose();
        }
    }
}

/// <summary>Receives work-queue measurements (depth, queue latency); the Prometheus exporter implements it.</summary>
public class WorkQueueMetrics
{
    public static readonly WorkQueueMetrics None = new();

    public virtual void Added(string queue, int depth)
    {
    }

    public virtual void Dequeued(string queue, int depth, TimeSpan waited)
    {
    }
}
