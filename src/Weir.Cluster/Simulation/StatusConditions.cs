using System.Text.Json.Nodes;

namespace Weir.Cluster.Simulation;

/// <summary>
/// Sets a condition the way Kubernetes' workload controllers do: an unchanged status and reason leave the condition
/// (and its timestamps) alone; a change replaces it at the end of the list, keeping lastTransitionTime when only the
/// reason or message moved.
/// </summary>
internal static class StatusConditions
{
    public static JsonObject? Find(JsonNode? status, string type) =>
        (Json.At(status, "conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Json.Str(c["type"]) == type);

    public static void Set(JsonObject status, string type, string value, string reason, string message, string now, bool updateTime = true, bool probeTime = false)
    {
        var conditions = status["conditions"] as JsonArray ?? [];
        var current = conditions.OfType<JsonObject>().FirstOrDefault(c => Json.Str(c["type"]) == type);
        if (current is not null && Json.Str(current["status"]) == value && Json.Str(current["reason"]) == reason && Json.Str(current["message"]) == message)
        {
            return;
        }
        var transition = current is not null && Json.Str(current["status"]) == value ? Json.Str(current["lastTransitionTime"]) : now;
        var condition = new JsonObject { ["type"] = type, ["status"] = value };
        if (probeTime)
        {
            condition["lastProbeTime"] = now;
        }
        if (updateTime)
        {
            condition["lastUpdateTime"] = now;
        }
        condition["lastTransitionTime"] = transition;
        condition["reason"] = reason;
        condition["message"] = message;
        var kept = new JsonArray([.. conditions.Where(c => c is JsonObject o && Json.Str(o["type"]) != type).Select(c => c!.DeepClone())]);
        kept.Add(condition);
        status["conditions"] = kept;
    }
}
