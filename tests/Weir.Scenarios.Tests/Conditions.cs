using System.Text.Json.Nodes;

namespace Weir.Scenarios.Tests;

/// <summary>Reads status fields of fetched objects.</summary>
public static class Conditions
{
    public static (string Status, string Reason, string Message) Ready(JsonObject obj)
    {
        var ready = (obj["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "Ready");
        return (ready?["status"]?.GetValue<string>() ?? "", ready?["reason"]?.GetValue<string>() ?? "", ready?["message"]?.GetValue<string>() ?? "");
    }

    public static bool IsReady(JsonObject obj, string status) => Ready(obj).Status == status;

    public static string? Applied(JsonObject obj) => obj["status"]?["lastAppliedRevision"]?.GetValue<string>();

    public static bool HasApplied(JsonObject obj, string tag) => Applied(obj)?.StartsWith(tag + "@sha256:", StringComparison.Ordinal) == true;
}
