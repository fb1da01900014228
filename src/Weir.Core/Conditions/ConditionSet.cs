using Weir.Core.Time;

namespace Weir.Core.Conditions;

/// <summary>
/// The one place that changes an object's conditions, with kstatus/Flux semantics (fluxcd/pkg/runtime/conditions):
/// the transition time moves only when a condition's status changes, abnormal-true types (<c>Reconciling</c>,
/// <c>Stalled</c>, …) exist only while True, <c>Reconciling</c> and <c>Stalled</c> exclude each other, every condition
/// carries the generation it was computed for, and the list is kept in Flux's order (<c>Stalled</c>,
/// <c>Reconciling</c>, <c>Ready</c>, then the others by type). docs/controllers.md lists where it differs from Flux.
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

    /// <summary>Working on it: <c>Reconciling=True</c>, and no longer <c>Stalled</c>.</summary>
    public void MarkReconciling(string reason, string message)
    {
        Remove(ConditionTypes.Stalled);
        MarkTrue(ConditionTypes.Reconciling, reason, message);
    }

    /// <summary>Retrying cannot help: <c>Stalled=True</c>, and no longer <c>Reconciling</c>.</summary>
    public void MarkStalled(string reason, string message)
    {
        Remove(ConditionTypes.Reconciling);
        MarkTrue(ConditionTypes.Stalled, reason, message);
    }

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

        _conditions.Sort(DisplayOrder);
    }

    /// <summary>Flux's order for readers (kubectl): Stalled, Reconciling, Ready first, then the others by type.</summary>
    private static int DisplayOrder(Condition a, Condition b)
    {
        var (wa, wb) = (Weight(a.Type), Weight(b.Type));
        return wa != wb ? wa.CompareTo(wb) : string.CompareOrdinal(a.Type, b.Type);
    }

    private static int Weight(string type) => type switch
    {
        ConditionTypes.Stalled => 0,
        ConditionTypes.Reconciling => 1,
        ConditionTypes.Ready => 2,
        _ => 3,
    };

    public bool Remove(string type) => _conditions.RemoveAll(c => c.Type == type) > 0;

    /// <summary>
    /// Sets Ready from the conditions of <paramref name="summary"/>, as Flux's summarize helper does. The present
    /// conditions are grouped by status and polarity, and the first group in this order wins: an abnormal condition
    /// that is True (<c>FetchFailed</c>, <c>Stalled</c>, <c>Reconciling</c>), a normal one that is False, a normal one
    /// that is True, an abnormal one that is False, then Unknown. Ready takes the group's status (inverted for an
    /// abnormal group) and the reason and message of its member earliest in <see cref="ReadySummary.Priority"/>.
    /// A False bi-polar condition (<c>SourceVerified</c>) then forces Ready=False with its own reason and message.
    /// Nothing changes when none of the conditions is present.
    /// </summary>
    public void SummarizeReady(ReadySummary summary)
    {
        var present = summary.Priority.Select(Get).OfType<Condition>().ToList();
        if (present.Count > 0)
        {
            var top = present.GroupBy(c => Group(c, summary.NegativePolarity.Contains(c.Type))).MinBy(g => g.Key)!;
            var first = top.First(); // present is in priority order
            var negative = summary.NegativePolarity.Contains(first.Type);
            var status = first.Status switch
            {
                ConditionStatus.True => negative ? ConditionStatus.False : ConditionStatus.True,
                ConditionStatus.False => negative ? ConditionStatus.True : ConditionStatus.False,
                _ => ConditionStatus.Unknown,
            };
            Set(ConditionTypes.Ready, status, first.Reason, first.Message);
        }

        if (summary.BiPolarity.Select(Get).FirstOrDefault(c => c?.Status == ConditionStatus.False) is { } failed)
        {
            MarkFalse(ConditionTypes.Ready, failed.Reason, failed.Message);
        }
    }

    private static int Group(Condition c, bool negative) => c.Status switch
    {
        ConditionStatus.True => negative ? 0 : 2,
        ConditionStatus.False => negative ? 3 : 1,
        _ => 4,
    };

    /// <summary>Flux's <c>MaxConditionMessageLength</c>.</summary>
    public const int MaxMessageLength = 20000;

    private static string Truncate(string message) =>
        message.Length <= MaxMessageLength ? message : message[..(MaxMessageLength - 3)] + "...";
}
