using System.ComponentModel;
using Weir.Core.Api.Meta;
using Weir.Core.Conditions;

namespace Weir.Core.Api.Source;

[Description("An artifact produced outside source-controller (e.g. by an ArtifactGenerator), consumable like any source.")]
public sealed record ExternalArtifact
{
    public const string KindName = "ExternalArtifact";

    public string? ApiVersion { get; init; } = SourceApi.ApiVersion;

    public string? Kind { get; init; } = KindName;

    public ObjectMeta? Metadata { get; init; }

    public ExternalArtifactSpec? Spec { get; init; }

    public ExternalArtifactStatus? Status { get; init; }
}

[Description("The object the artifact was produced for.")]
public sealed record ExternalArtifactSpec
{
    [Description("The producing object, e.g. an ArtifactGenerator.")]
    public NamespacedObjectKindReference? SourceRef { get; init; }
}

[Description("The artifact, as its producer published it.")]
public sealed record ExternalArtifactStatus
{
    [Description("The stored tarball.")]
    public Artifact? Artifact { get; init; }

    [Description("Ready condition set by the producer.")]
    public IReadOnlyList<Condition>? Conditions { get; init; }
}
