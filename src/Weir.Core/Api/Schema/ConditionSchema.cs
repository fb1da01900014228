using System.Text.Json.Nodes;

namespace Weir.Core.Api.Schema;

/// <summary>
/// Schema of <c>metav1.Condition</c> (Weir.Core.Conditions.Condition carries no schema attributes), with the
/// constraints the API server's own condition type has.
/// </summary>
internal static class ConditionSchema
{
    public static JsonObject Build() => new()
    {
        ["type"] = "object",
        ["description"] = "One aspect of the object's state, as a metav1.Condition.",
        ["required"] = new JsonArray("lastTransitionTime", "message", "reason", "status", "type"),
        ["properties"] = new JsonObject
        {
            ["lastTransitionTime"] = new JsonObject
            {
                ["type"] = "string",
                ["format"] = "date-time",
                ["description"] = "When status last changed.",
            },
            ["message"] = new JsonObject
            {
                ["type"] = "string",
                ["maxLength"] = 32768,
                ["description"] = "Human-readable details.",
            },
            ["observedGeneration"] = new JsonObject
            {
                ["type"] = "integer",
                ["format"] = "int64",
                ["minimum"] = 0,
                ["description"] = "Generation the condition was computed for.",
            },
            ["reason"] = new JsonObject
            {
                ["type"] = "string",
                ["minLength"] = 1,
                ["maxLength"] = 1024,
                ["pattern"] = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
                ["description"] = "CamelCase reason code.",
            },
            ["status"] = new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray("True", "False", "Unknown"),
                ["description"] = "True, False or Unknown.",
            },
            ["type"] = new JsonObject
            {
                ["type"] = "string",
                ["maxLength"] = 316,
                ["pattern"] = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                ["description"] = "Condition type, e.g. Ready.",
            },
        },
    };
}
