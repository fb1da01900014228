using System.Text.Json;
using System.Text.Json.Serialization;
using Weir.Core.Objects;
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

    /// <summary>Owners, as Weir.Core.Objects reads them (absent flags come back as false).</summary>
    public IReadOnlyList<OwnerReference>? OwnerReferences { get; init; }

    /// <summary>Metadata fields not modelled above (managedFields, deletionGracePeriodSeconds, …).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
