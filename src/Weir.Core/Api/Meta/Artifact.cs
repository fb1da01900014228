using System.ComponentModel;
using System.Text.Json.Serialization;
using Weir.Core.Api.Schema;
using Weir.Core.Time;

namespace Weir.Core.Api.Meta;

[Description("A stored tarball produced by a source, served over HTTP to the appliers.")]
public sealed record Artifact
{
    [RequiredField, Description("Source revision, e.g. main@sha1:<commit> or v1.0.0@sha256:<digest>.")]
    public string? Revision { get; init; }

    [RequiredField, Pattern("^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$"), Description("Checksum of the tarball as <algorithm>:<hex>.")]
    public string? Digest { get; init; }

    [RequiredField, Description("Path of the tarball relative to the storage root.")]
    public string? Path { get; init; }

    [RequiredField, Description("HTTP address of the tarball.")]
    public string? Url { get; init; }

    [RequiredField, JsonConverter(typeof(KubeTimeJsonConverter)), Description("When the artifact last changed.")]
    public DateTimeOffset? LastUpdateTime { get; init; }

    [Description("Size of the tarball in bytes.")]
    public long? Size { get; init; }

    [Description("Upstream annotations, e.g. OCI image annotations.")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

[Description("Objects applied by the last successful reconciliation.")]
public sealed record ResourceInventory
{
    [RequiredField, Description("One entry per applied object.")]
    public IReadOnlyList<ResourceRef>? Entries { get; init; }
}

[Description("An applied object: <namespace>_<name>_<group>_<kind> and its API version.")]
public sealed record ResourceRef
{
    [RequiredField, Description("Object identifier <namespace>_<name>_<group>_<kind>.")]
    public string? Id { get; init; }

    [RequiredField, Description("API version the object was applied with.")]
    public string? V { get; init; }
}
