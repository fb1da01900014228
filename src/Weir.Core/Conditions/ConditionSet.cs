using Weir.Core.Time;

namespace Weir.Core.Conditions;

/// <summary>
/// The one place that changes an object's conditions, with kstatus/Flux semantics: the transition time moves
/// only when a condition's status changes, abnormal-true types (<c>Reconciling</c>, <c>Stalled</c>, …) exist
/// only while True, and every condition carries the generation it was computed for.
/// </summary>
public sealed class ConditionSet
{
    private readonly List<Condition> _conditions;
    private readonly TimeProvider _clock;

    public ConditionSet(IEnumerable<Condition>? existing = null, long generation = 0, TimeProvider? clock = null)
    {
        _conditions = existing?.ToList() ?? [];
        Generation = generation;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The object's <c>metadata.generation</c>, written as each condition's observedGeneration.</summary>
    public long Generation { get; set; }

    public IReadOnlyList<Condition> Items => _conditions;

    public Condition? Get(string type) => _conditions.Find(c => c.Type == type);

    public bool IsTrue(string type) => Get(type)?.Status == ConditionStatus.True;

    public bool IsFalse(string type) => Get(type)?.Status == ConditionStatus.False;

    public bool IsUnknown(string type) => Get(type) is null or { Status: ConditionStatus.Unknown };

    public void MarkTrue(string type, string reason, string message) => Set(type, ConditionStatus.True, reason, message);

    public void MarkFalse(string type, string reason, string message) => Set(type, ConditionStatus.False, reason, message);

    public void MarkUnknown(string type, string reason, string message) => Set(type, ConditionStatus.Unknown, reason, message);

    public void MarkReconciling(string reason, string message) => MarkTrue(ConditionTypes.Reconciling, reason, message);

    public void MarkStalled(string reason, string message) => MarkTrue(ConditionTypes.Stalled, reason, message);

    /// <summary>
    /// Sets a condition. Setting an abnormal-true type to anything but True removes it, as kstatus expects.
    /// </summary>
    public void Set(string type, string status, string reason, string message)
    {
        if (status is not (ConditionStatus.True or ConditionStatus.False or ConditionStatus.Unknown))
        {
            throw new ArgumentException($"condition status must be True, False or Unknown, not '{status}'", nameof(status));
        }

        if (ConditionTypes.IsAbnormalTrue(type) && status != ConditionStatus.True)
        {
            Remove(type);
            return;
        }

        var index = _conditions.FindIndex(c => c.Type == type);
        var previous = index >= 0 ? _conditions[index] : null;
        var transition = previous is not null && previous.Status == status
            ? previous.LastTransitionTime
            : KubeTime.TruncateToSeconds(_clock.GetUtcNow());
        var condition = new Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = Truncate(message),
            ObservedGeneration = Generation,
            LastTransitionTime = transition,
        };
        if (index >= 0)
        {
            _conditions[index] = condition;
        }
        else
        {
            _conditions.Add(condition);
        }
    }

    public bool Remove(string type) => _conditions.RemoveAll(c => c.Type == type) > 0;

    /// <summary>
    /// Sets Ready from the given conditions in priority order, as Flux's summarize helper does: a failing
    /// condition (False, or True for a negative-polarity type) wins over an in-progress one, which wins over
    /// a succeeding one; within a group the earliest in <paramref name="priority"/> supplies reason and message.
    /// Nothing changes when none of them is present.
    /// </summary>
    public void SummarizeReady(IReadOnlyList<string> priority, IReadOnlySet<string>? negativePolarity = null)
    {
        negativePolarity ??= DefaultNegativePolarity;
        Condition? best = null;
        var bestRank = int.MaxValue;
        string bestStatus = ConditionStatus.Unknown;
        foreach (var type in priority)
        {
            if (Get(type) is not { } c)
            {
                continue;
            }

            var effective = Effective(c, negativePolarity.Contains(type));
            var rank = effective switch { ConditionStatus.False => 0, ConditionStatus.Unknown => 1, _ => 2 };
            if (rank < bestRank)
            {
                (best, bestRank, bestStatus) = (c, rank, effective);
            }
        }

        if (best is not null)
        {
            Set(ConditionTypes.Ready, bestStatus, best.Reason, best.Message);
        }
    }

    private static readonly HashSet<string> DefaultNegativePolarity =
    [
        ConditionTypes.Stalled, ConditionTypes.Reconciling, ConditionTypes.FetchFailed, ConditionTypes.BuildFailed,
        ConditionTypes.StorageOperationFailed, ConditionTypes.ArtifactOutdated, ConditionTypes.IncludeUnavailable,
    ];

    private static string Effective(Condition c, bool negative)
    {
        if (!negative || c.Status == ConditionStatus.Unknown)
        {
            return c.Status;
        }

        // A True Reconciling means "working on it", not "failed".
        if (c.Type == ConditionTypes.Reconciling)
        {
            return c.Status == ConditionStatus.True ? ConditionStatus.Unknown : ConditionStatus.True;
        }

        return c.Status == ConditionStatus.True ? ConditionStatus.False : ConditionStatus.True;
    }

    /// <summary>Flux's <c>MaxConditionMessageLength</c>.</summary>
    public const int MaxMessageLength = 20000;

    private static string Truncate(string message) =>
        message.Length <= MaxMessageLength ? message : message[..(MaxMessageLength - 3)] + "...";
}
