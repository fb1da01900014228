using Weir.Core.Conditions;
using Weir.Core.Time;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Sources.Storage;

/// <summary>Settings every source controller has, and how the runner treats a source kind.</summary>
public abstract record SourceControllerOptions
{
    /// <summary>Artifacts kept per object by garbage collection.</summary>
    public int ArtifactsToKeep { get; init; } = 2;

    public IntervalJitter Jitter { get; init; } = new();

    public JsonLog Log { get; init; } = JsonLog.Discard;

    /// <summary>source-controller's way: Ready summarised from the owned conditions, FetchFailed by default, backoff on failure.</summary>
    public ReconcilerSettings SettingsFor(KubeResource resource) => new(resource)
    {
        ReadySummary = ReadySummary.Source,
        FailureCondition = ConditionTypes.FetchFailed,
        BackoffOnFailure = true,
        Jitter = Jitter,
        Log = Log,
    };

    /// <summary>
    /// Reports that an artifact is being built: Reconciling with <paramref name="message"/>, and Ready Unknown with it
    /// unless Ready is already False (a failing source stays failed until it succeeds).
    /// </summary>
    public static Task BuildingAsync(ReconcileRun run, string message, CancellationToken cancellationToken)
    {
        if (run.Conditions.Get(ConditionTypes.Ready) is null or { Status: not ConditionStatus.False })
        {
            run.Conditions.MarkUnknown(ConditionTypes.Ready, ConditionReasons.Progressing, message);
        }

        return run.ProgressAsync(message, cancellationToken);
    }
}
