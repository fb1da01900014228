using System.Text.Json.Nodes;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Runtime.Kube;

namespace Weir.Runtime.Controllers;

/// <summary>
/// Runs one kind's steps the way every Flux controller wraps its own (source-controller's patch helper + summarize,
/// kustomize-controller's <c>finalizeStatus</c>): get the object; on delete run the kind's cleanup and release the
/// finalizer; add the finalizer; leave a suspended object alone; run the steps; then turn the outcome into
/// conditions, the end-of-reconcile bookkeeping (<c>lastHandledReconcileAt</c>, <c>observedGeneration</c>), one
/// status write, exactly one event and the requeue:
/// <list type="bullet">
/// <item>success — Reconciling and Stalled removed, observedGeneration set, the kind's success event, requeue after
/// the interval with jitter;</item>
/// <item><see cref="ReconcileFailure"/> — Ready=False (or the failure's condition, summarised), Reconciling to
/// <c>ProgressingWithRetry</c>, a Warning event, requeue after the retry interval (or backoff); when stalled,
/// Stalled=True, observedGeneration set and no requeue;</item>
/// <item><see cref="ReconcileWait"/> — the same conditions, never stalled, at most a Normal event, requeue after the
/// wait's delay;</item>
/// <item>cancellation (shutdown) — nothing is written; the loop stops.</item>
/// </list>
/// Any other exception escapes to <see cref="ControllerLoop"/>, which reports it through <see cref="FailureStatus"/>.
/// </summary>
public sealed class ReconcileRunner<TRun>(ResourceClient client, EventRecorder events, IReconcileSteps<TRun> steps)
    where TRun : ReconcileRun
{
    private ReconcilerSettings Settings => steps.Settings;

    private string Kind => Settings.Resource.Kind;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var obj = await client.GetAsync(Settings.Resource, key, cancellationToken);
        if (obj is null)
        {
            return ReconcileResult.Done;
        }

        var run = steps.Begin(obj);
        run.Bind(new StatusPatcher(client, Settings.Resource, obj), events);
        var finalizers = Finalizers(obj);
        if (run.Deleting)
        {
            if (finalizers.Contains(Settings.Finalizer))
            {
                await steps.FinalizeAsync(run, cancellationToken);
                return await SetFinalizersAsync(obj, [.. finalizers.Where(f => f != Settings.Finalizer)], cancellationToken)
                    ? ReconcileResult.Done
                    : ReconcileResult.After(TimeSpan.Zero);
            }

            return ReconcileResult.Done;
        }

        if (!finalizers.Contains(Settings.Finalizer) && !await SetFinalizersAsync(obj, [.. finalizers, Settings.Finalizer], cancellationToken))
        {
            return ReconcileResult.After(TimeSpan.Zero);
        }

        if (run.Suspended)
        {
            Settings.Log.Info("Reconciliation is suspended for this object", Kind, key);
            OutcomeConditions.Settled(run.Conditions);
            if (run.Conditions.IsTrue(ConditionTypes.Ready))
            {
                run.Status["observedGeneration"] = obj.Generation();
            }

            await FinishAsync(run, cancellationToken);
            return ReconcileResult.Done;
        }

        try
        {
            await steps.ReconcileAsync(run, cancellationToken);
        }
        catch (ReconcileFailure failure)
        {
            return await FailedAsync(run, failure, cancellationToken);
        }
        catch (ReconcileWait wait)
        {
            return await WaitingAsync(run, wait, cancellationToken);
        }

        return await SucceededAsync(run, cancellationToken);
    }

    private async Task<ReconcileResult> SucceededAsync(TRun run, CancellationToken cancellationToken)
    {
        OutcomeConditions.Succeeded(run.Conditions, Settings.ReadySummary);
        run.Status["observedGeneration"] = run.Object.Generation();
        await FinishAsync(run, cancellationToken);
        if (steps.Succeeded(run) is { } notice)
        {
            Settings.Log.Info(notice.Message, Kind, run.Key, notice.LogFields);
            await run.EventAsync(EventRecorder.Normal, notice.Message, cancellationToken, notice.Reason, notice.Annotations);
        }

        return ReconcileResult.After(Settings.Jitter.Apply(run.Interval));
    }

    private async Task<ReconcileResult> FailedAsync(TRun run, ReconcileFailure failure, CancellationToken cancellationToken)
    {
        OutcomeConditions.Failed(run.Conditions, failure.Reason, failure.Message, failure.ConditionType ?? Settings.FailureCondition,
            failure.Stalled, Settings.ReadySummary, failure.KeepsReady);
        if (failure.Stalled)
        {
            run.Status["observedGeneration"] = run.Object.Generation();
        }

        await FinishAsync(run, cancellationToken);
        var next = failure.Stalled ? "none, the object is stalled" : FluxDuration.Format(failure.RetryAfter ?? run.RetryInterval);
        Settings.Log.Error($"Reconciliation failed after {FluxDuration.Format(run.Elapsed)}, next try in {next}", failure, Kind, run.Key);
        await run.EventAsync(EventRecorder.Warning, failure.Message, cancellationToken, failure.Reason);
        if (failure.Stalled)
        {
            return ReconcileResult.Done;
        }

        if (failure.RetryAfter is { } after)
        {
            return ReconcileResult.After(after);
        }

        return Settings.BackoffOnFailure ? ReconcileResult.Retry(run.RetryInterval) : ReconcileResult.After(run.RetryInterval);
    }

    private async Task<ReconcileResult> WaitingAsync(TRun run, ReconcileWait wait, CancellationToken cancellationToken)
    {
        OutcomeConditions.Failed(run.Conditions, wait.Reason, wait.Message, wait.ConditionType ?? Settings.FailureCondition,
            stalled: false, Settings.ReadySummary, wait.KeepsReady);
        await FinishAsync(run, cancellationToken);
        Settings.Log.Info(wait.Log ?? wait.Message, Kind, run.Key);
        if (wait.Event is { } message)
        {
            await run.EventAsync(EventRecorder.Normal, message, cancellationToken, wait.Reason);
        }

        return ReconcileResult.After(wait.RequeueAfter);
    }

    /// <summary>Records the handled reconcile request (even on failure, as Flux does) and writes the status.</summary>
    private static Task FinishAsync(TRun run, CancellationToken cancellationToken)
    {
        if (run.Object.Annotation(Predicates.RequestedAtAnnotation) is { } requested)
        {
            run.Status["lastHandledReconcileAt"] = requested;
        }

        return run.PatchStatusAsync(cancellationToken);
    }

    /// <summary>False when the object changed meanwhile (a conflict): the caller requeues and reads it again.</summary>
    private async Task<bool> SetFinalizersAsync(JsonObject obj, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f)!)]),
                ["resourceVersion"] = obj.ResourceVersion(),
            },
        };
        try
        {
            var updated = await client.PatchAsync(Settings.Resource, obj.Key(), patch, "merge", cancellationToken: cancellationToken);
            obj["metadata"]!["resourceVersion"] = updated.ResourceVersion();
            return true;
        }
        catch (KubeApiException e) when (e.IsConflict || (e.IsNotFound && obj.Metadata()?["deletionTimestamp"] is not null))
        {
            return e.IsNotFound;
        }
    }

    private static IReadOnlyList<string> Finalizers(JsonObject obj) =>
        [.. (obj.Metadata()?["finalizers"] as JsonArray ?? []).Select(f => f?.GetValue<string>() ?? "")];
}
