using System.Text.Json.Nodes;
using Weir.Core.Conditions;
using Weir.Core.Time;
using Weir.Runtime.Kube;

namespace Weir.Runtime.Controllers;

/// <summary>
/// What differs per kind: how a run starts, its steps, its cleanup on delete and the event a success is worth.
/// Everything else (get, finalizer, suspend, status writes, conditions, events and requeues) is
/// <see cref="ReconcileRunner{TRun}"/>'s.
/// </summary>
public interface IReconcileSteps<TRun> where TRun : ReconcileRun
{
    ReconcilerSettings Settings { get; }

    /// <summary>The working state of one run over the object as read.</summary>
    TRun Begin(JsonObject obj);

    /// <summary>
    /// The kind's steps, in order. Returning is success; a <see cref="ReconcileFailure"/> or <see cref="ReconcileWait"/>
    /// ends the run with that outcome. Steps change <paramref name="run"/> and never write status themselves beyond
    /// <see cref="ReconcileRun.ProgressAsync"/> and <see cref="ReconcileRun.PatchStatusAsync"/>.
    /// </summary>
    Task ReconcileAsync(TRun run, CancellationToken cancellationToken);

    /// <summary>Cleans up before the object goes (the finalizer is released after it returns; an exception retries).</summary>
    Task FinalizeAsync(TRun run, CancellationToken cancellationToken);

    /// <summary>The Normal event a successful run records, if any (written after the status).</summary>
    RunNotice? Succeeded(TRun run);
}

/// <summary>An event the runner records for a kind: its reason (null: Ready's), message and extra annotations.</summary>
public sealed record RunNotice(string Message, string? Reason = null, IReadOnlyDictionary<string, string>? Annotations = null)
{
    /// <summary>A line for the controller log instead of <see cref="Message"/>, with these fields.</summary>
    public IReadOnlyDictionary<string, string>? LogFields { get; init; }
}

/// <summary>How the runner treats one kind.</summary>
public sealed record ReconcilerSettings(KubeResource Resource)
{
    /// <summary>Flux's finalizer, shared by all its controllers.</summary>
    public const string FluxFinalizer = "finalizers.fluxcd.io";

    public string Finalizer { get; init; } = FluxFinalizer;

    /// <summary>
    /// How Ready is summarised from the owned conditions (source kinds). Null: Ready is set directly — by the steps
    /// on success and by the runner to the outcome's reason and message otherwise (kustomize-controller's way).
    /// </summary>
    public ReadySummary? ReadySummary { get; init; }

    /// <summary>The condition a failure sets True when it names none (source kinds: <c>FetchFailed</c>).</summary>
    public string? FailureCondition { get; init; }

    /// <summary>
    /// After a failure: retry with exponential backoff capped at the retry interval (source-controller), or after
    /// exactly the retry interval (kustomize-controller's <c>spec.retryInterval</c>).
    /// </summary>
    public bool BackoffOnFailure { get; init; }

    public IntervalJitter Jitter { get; init; } = new();

    public JsonLog Log { get; init; } = JsonLog.Discard;
}
