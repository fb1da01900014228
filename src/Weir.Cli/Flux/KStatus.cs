using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Health;

namespace Weir.Cli.Flux;

public enum KStatusKind
{
    InProgress,
    Current,
    Failed,
    Terminating,
}

/// <summary>
/// kstatus for objects with standard conditions, as the flux CLI evaluates it while waiting: deleting →
/// Terminating; status not yet observed for this generation or Reconciling=True → InProgress; Stalled=True →
/// Failed; otherwise Current.
/// </summary>
public static class KStatus
{
    public static (KStatusKind Status, string Message) Compute(JsonObject obj) =>
        Weir.Runtime.Health.KStatus.Generic(obj) is { } health
            ? (health.Status switch
            {
                HealthStatus.Terminating => KStatusKind.Terminating,
                HealthStatus.InProgress => KStatusKind.InProgress,
                HealthStatus.Failed => KStatusKind.Failed,
                _ => KStatusKind.Current,
            }, health.Message)
            : (KStatusKind.Current, "Resource is current");

    /// <summary>
    /// flux's readiness check after resume: reconciled at least once, Ready computed for the current generation,
    /// and kstatus Current. False while still waiting; throws with the kstatus message when failed.
    /// </summary>
    public static bool IsReady(JsonObject obj)
    {
        var observed = obj["status"]?["observedGeneration"] is JsonValue v && v.TryGetValue<long>(out var g) ? g : 0;
        if (observed < 1 || FluxStatus.FindCondition(obj, "Ready") is not { } ready)
        {
            return false;
        }

        var conditionGeneration = ready["observedGeneration"] is JsonValue cg && cg.TryGetValue<long>(out var c) ? c : 0;
        if ((conditionGeneration != 0 && conditionGeneration != obj.Generation()) || (conditionGeneration == 0 && observed != obj.Generation()))
        {
            return false;
        }

        var (status, message) = Compute(obj);
        return status switch
        {
            KStatusKind.Current => true,
            KStatusKind.InProgress => false,
            _ => throw new CliException(message),
        };
    }
}
