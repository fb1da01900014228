using System.Text.Json.Nodes;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Testing;

/// <summary>
/// Reads and waits for the status conditions of objects fetched from an API server, as a test asserts them.
/// Use with <c>using static Weir.Testing.StatusConditions;</c>.
/// </summary>
public static class StatusConditions
{
    /// <summary>The condition of <paramref name="type"/> in <c>status.conditions</c>, or null.</summary>
    public static JsonObject? Condition(JsonObject? obj, string type) =>
        (obj?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    public static JsonObject? Ready(JsonObject? obj) => Condition(obj, ConditionTypes.Ready);

    public static bool IsTrue(JsonObject condition) => Status(condition) == ConditionStatus.True;

    public static bool IsFalse(JsonObject condition) => Status(condition) == ConditionStatus.False;

    public static string Status(JsonObject condition) => condition["status"]?.GetValue<string>() ?? "";

    public static string Reason(JsonObject condition) => condition["reason"]?.GetValue<string>() ?? "";

    public static string Message(JsonObject condition) => condition["message"]?.GetValue<string>() ?? "";

    /// <summary>The object's Ready condition has <paramref name="status"/> (<c>True</c>, <c>False</c> or <c>Unknown</c>).</summary>
    public static bool IsReady(JsonObject obj, string status) => Ready(obj) is { } ready && Status(ready) == status;

    public static string? Applied(JsonObject obj) => obj["status"]?["lastAppliedRevision"]?.GetValue<string>();

    /// <summary>The object's last applied revision is <paramref name="tag"/> at some digest.</summary>
    public static bool HasApplied(JsonObject obj, string tag) => Applied(obj)?.StartsWith(tag + "@sha256:", StringComparison.Ordinal) == true;

    /// <summary>Polls <paramref name="get"/> until <paramref name="done"/> holds; fails naming <paramref name="what"/> and the last value.</summary>
    public static async Task<JsonObject> WaitForAsync(Func<Task<JsonObject?>> get, Func<JsonObject, bool> done, string what,
        TimeSpan? timeout = null, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        JsonObject? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await get();
            if (last is not null && done(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what}: never happened; last: {last?.ToJsonString() ?? "none"}{(diagnostics is null ? "" : "; " + diagnostics())}");
    }

    /// <summary>Waits until the object's condition of <paramref name="type"/> satisfies <paramref name="condition"/>; returns that condition.</summary>
    public static async Task<JsonObject> WaitForConditionAsync(ResourceClient client, KubeResource resource, ObjectKey key,
        Func<JsonObject, bool> condition, string type = ConditionTypes.Ready, TimeSpan? timeout = null, Func<string>? diagnostics = null)
    {
        var obj = await WaitForAsync(() => client.GetAsync(resource, key), o => Condition(o, type) is { } c && condition(c),
            $"{resource.Kind} {key}: {type} condition to match", timeout, diagnostics);
        return Condition(obj, type)!;
    }
}
