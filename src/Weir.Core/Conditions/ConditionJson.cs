using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Weir.Core.Objects;

namespace Weir.Core.Conditions;

/// <summary>Reads and writes <c>status.conditions</c> of an object held as JSON.</summary>
public static class ConditionJson
{
    public static ConditionSet Read(JsonObject obj, TimeProvider? clock = null)
    {
        var list = obj["status"]?["conditions"] is JsonArray array
            ? array.Deserialize(ConditionJsonContext.Default.ListCondition) ?? []
            : [];
        return new ConditionSet(list, obj.Generation(), clock);
    }

    public static void Write(JsonObject obj, ConditionSet conditions)
    {
        var status = KubeObject.EnsureObject(obj, "status");
        status["conditions"] = ToJson(conditions);
    }

    /// <summary>The conditions as the <c>status.conditions</c> array.</summary>
    public static JsonNode ToJson(ConditionSet conditions) =>
        JsonSerializer.SerializeToNode(conditions.Items.ToList(), ConditionJsonContext.Default.ListCondition)!;
}

[JsonSerializable(typeof(List<Condition>))]
internal sealed partial class ConditionJsonContext : JsonSerializerContext;
