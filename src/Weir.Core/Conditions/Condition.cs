using System.Text.Json.Serialization;
using Weir.Core.Time;

namespace Weir.Core.Conditions;

/// <summary>A Kubernetes <c>metav1.Condition</c> as Flux writes it into <c>status.conditions</c>.</summary>
public sealed record Condition
{
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("observedGeneration")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long ObservedGeneration { get; init; }

    [JsonPropertyName("lastTransitionTime")]
    [JsonConverter(typeof(KubeTimeJsonConverter))]
    public required DateTimeOffset LastTransitionTime { get; init; }

    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    [JsonPropertyName("message")]
    public required string Message { get; init; }
}

/// <summary>The three values of a condition's status.</summary>
public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}
