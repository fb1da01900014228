using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Weir.Core.Time;

namespace Weir.Core.Api.Meta;

/// <summary>The part of <c>metadata</c> Weir's API types read; other fields survive a round trip in <see cref="Extra"/>.</summary>
public sealed record ObjectMeta
{
    public string? Name { get; init; }

    public string? GenerateName { get; init; }

    public string? Namespace { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public long? Generation { get; init; }

    public string? ResourceVersion { get; init; }

    public string? Uid { get; init; }

    [JsonConverter(typeof(KubeTimeJsonConverter))]
    public DateTimeOffset? CreationTimestamp { get; init; }

    [JsonConverter(typeof(KubeTimeJsonConverter))]
    public DateTimeOffset? DeletionTimestamp { get; init; }

    public IReadOnlyList<string>? Finalizers { get; init; }

    public IReadOnlyList<OwnerReference>? OwnerReferences { get; init; }

    /// <summary>Metadata fields not modelled above (managedFields, deletionGracePeriodSeconds, …).</summary>
    [JsonExtensionData]
    public JsonObject? Extra { get; init; }
}

[Description("Points at the object that owns this one.")]
public sealed record OwnerReference
{
    public required string ApiVersion { get; init; }

    public required string Kind { get; init; }

    public required string Name { get; init; }

    public required string Uid { get; init; }

    public bool? Controller { get; init; }

    public bool? BlockOwnerDeletion { get; init; }
}
