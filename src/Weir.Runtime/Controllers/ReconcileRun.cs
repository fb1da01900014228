using System.Diagnostics;
using System.Text.Json.Nodes;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Core.Time;

namespace Weir.Runtime.Controllers;

/// <summary>
/// One reconcile's working state: the object as read, its status and conditions as the steps rewrite them, the
/// schedule from its spec, and the annotations every event of this run carries. Steps change this state and report
/// progress through it; only <see cref="ReconcileRunner{TRun}"/> decides what the outcome means. A kind derives from it
/// to add its typed spec and the facts its steps pass on (revision, timeout, …).
/// </summary>
public class ReconcileRun
{
    private StatusPatcher? _patcher;
    private EventRecorder? _events;

    /// <param name="obj">The object as read at the start of the reconcile.</param>
    /// <param name="defaultInterval">The interval when <c>spec.interval</c> is missing or unreadable.</param>
    /// <param name="clock">Time source of condition transition times.</param>
    public ReconcileRun(JsonObject obj, TimeSpan defaultInterval, TimeProvider? clock = null)
    {
        Object = obj;
        Status = obj["status"]?.DeepClone() as JsonObject ?? [];
        Status.Remove("conditions");
        Conditions = ConditionJson.Read(obj, clock);
        var spec = obj["spec"] as JsonObject;
        Interval = FluxDuration.TryParse(spec?["interval"]?.GetValue<string>(), out var interval) ? interval : defaultInterval;
        RetryInterval = FluxDuration.TryParse(spec?["retryInterval"]?.GetValue<string>(), out var retry) ? retry : Interval;
        Suspended = spec?["suspend"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
    }

    public JsonObject Object { get; }

    public ObjectKey Key => Object.Key();

    /// <summary>The status being written, without its conditions (those are <see cref="Conditions"/>).</summary>
    public JsonObject Status { get; }

    public ConditionSet Conditions { get; }

    /// <summary><c>spec.interval</c>: the requeue after a success.</summary>
    public TimeSpan Interval { get; }

    /// <summary><c>spec.retryInterval</c>, else the interval: the requeue after a failure (or the backoff's cap).</summary>
    public TimeSpan RetryInterval { get; }

    /// <summary><c>spec.suspend</c> (a kind that suspends otherwise, by annotation, sets it in its run).</summary>
    public bool Suspended { get; protected init; }

    public bool Deleting => Object.Metadata()?["deletionTimestamp"] is not null;

    /// <summary>Time since the reconcile started.</summary>
    public TimeSpan Elapsed => Stopwatch.Elapsed;

    /// <summary>Annotations added to every event of this run (e.g. <c>kustomize.toolkit.fluxcd.io/revision</c>).</summary>
    public Dictionary<string, string> EventMetadata { get; } = [];

    private Stopwatch Stopwatch { get; } = Stopwatch.StartNew();

    /// <summary>Writes the working status now (steps call it before a long wait, so readers see the progress).</summary>
    public Task PatchStatusAsync(CancellationToken cancellationToken) =>
        Bound(_patcher).PatchAsync(Status, Conditions, cancellationToken);

    /// <summary>Reports what the run is doing: <c>Reconciling=True</c> (reason <c>Progressing</c>), written at once.</summary>
    public Task ProgressAsync(string message, CancellationToken cancellationToken)
    {
        Conditions.MarkReconciling(ConditionReasons.Progressing, message);
        return PatchStatusAsync(cancellationToken);
    }

    /// <summary>
    /// Records an event about the object. The reason defaults to Ready's reason (Flux's controllers do the same),
    /// and <see cref="EventMetadata"/> is added to the annotations.
    /// </summary>
    public Task EventAsync(string type, string message, CancellationToken cancellationToken, string? reason = null,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        var all = new Dictionary<string, string>(annotations ?? new Dictionary<string, string>());
        foreach (var (key, value) in EventMetadata)
        {
            all[key] = value;
        }

        reason ??= Conditions.Get(ConditionTypes.Ready)?.Reason ?? (type == EventRecorder.Warning ? "error" : "info");
        return Bound(_events).RecordAsync(Object, type, reason, message, all, cancellationToken);
    }

    internal void Bind(StatusPatcher patcher, EventRecorder events) => (_patcher, _events) = (patcher, events);

    private static T Bound<T>(T? part) where T : class =>
        part ?? throw new InvalidOperationException("a ReconcileRun reports only while a ReconcileRunner runs it");
}
