using Prometheus;

namespace Weir.Runtime.Controllers;

/// <summary>
/// The Prometheus series Flux's controllers export: <c>gotk_reconcile_duration_seconds</c> per object, and
/// controller-runtime's reconcile totals/errors and work-queue depth and latency per controller.
/// </summary>
public sealed class ControllerMetrics : WorkQueueMetrics
{
    private readonly Histogram _reconcileDuration;
    private readonly Counter _reconcileTotal;
    private readonly Counter _reconcileErrors;
    private readonly Gauge _queueDepth;
    private readonly Counter _queueAdds;
    private readonly Histogram _queueLatency;

    public ControllerMetrics(CollectorRegistry? registry = null)
    {
        Registry = registry ?? Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _reconcileDuration = factory.CreateHistogram(
            "gotk_reconcile_duration_seconds", "How long reconciling one object took.",
            new HistogramConfiguration
            {
                LabelNames = ["kind", "name", "namespace"],
                Buckets = Histogram.ExponentialBuckets(0.01, Math.Pow(1800 / 0.01, 1.0 / 9), 10),
            });
        _reconcileTotal = factory.CreateCounter(
            "controller_runtime_reconcile_total", "Reconciles per controller and result.",
            new CounterConfiguration { LabelNames = ["controller", "result"] });
        _reconcileErrors = factory.CreateCounter(
            "controller_runtime_reconcile_errors_total", "Reconciles that returned an error.",
            new CounterConfiguration { LabelNames = ["controller"] });
        _queueDepth = factory.CreateGauge("workqueue_depth", "Keys waiting in the work queue.",
            new GaugeConfiguration { LabelNames = ["name"] });
        _queueAdds = factory.CreateCounter("workqueue_adds_total", "Keys added to the work queue.",
            new CounterConfiguration { LabelNames = ["name"] });
        _queueLatency = factory.CreateHistogram(
            "workqueue_queue_duration_seconds", "How long a key waited in the queue before a worker took it.",
            new HistogramConfiguration { LabelNames = ["name"], Buckets = Histogram.ExponentialBuckets(0.001, 4, 10) });
    }

    public CollectorRegistry Registry { get; }

    public void Reconciled(string controller, string kind, Weir.Core.Objects.ObjectKey key, TimeSpan took, string result)
    {
        _reconcileDuration.WithLabels(kind, key.Name, key.Namespace).Observe(took.TotalSeconds);
        _reconcileTotal.WithLabels(controller, result).Inc();
        if (result == "error")
        {
            _reconcileErrors.WithLabels(controller).Inc();
        }
    }

    public override void Added(string queue, int depth)
    {
        _queueAdds.WithLabels(queue).Inc();
        _queueDepth.WithLabels(queue).Set(depth);
    }

    public override void Dequeued(string queue, int depth, TimeSpan waited)
    {
        _queueDepth.WithLabels(queue).Set(depth);
        _queueLatency.WithLabels(queue).Observe(waited.TotalSeconds);
    }

    /// <summary>The Prometheus text exposition of every series, as served on <c>/metrics</c>.</summary>
    public async Task<string> ExportAsync(CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(stream, cancellationToken);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
