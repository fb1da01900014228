using System.ComponentModel;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Schema;
using Weir.Core.Conditions;

namespace Weir.Core.Api.SourceExtensions;

/// <summary>Group and version of source-watcher's API.</summary>
public static class SourceExtensionsApi
{
    public const string Group = "source.extensions.fluxcd.io";
    public const string Version = "v1beta1";
    public const string ApiVersion = Group + "/" + Version;
}

[Description("Composes ExternalArtifacts from files of other sources.")]
public sealed record ArtifactGenerator
{
    public const string KindName = "ArtifactGenerator";

    public string? ApiVersion { get; init; } = SourceExtensionsApi.ApiVersion;

    public string? Kind { get; init; } = KindName;

    public ObjectMeta? Metadata { get; init; }

    public ArtifactGeneratorSpec? Spec { get; init; }

    public ArtifactGeneratorStatus? Status { get; init; }
}

[Description("The sources to read and the artifacts to compose from them.")]
[CelRule("has(self.pathPattern) && size(self.pathPattern) > 0 || self.artifacts.all(a, a.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'))",
    "without pathPattern every artifact name must be a valid object name")]
public sealed record ArtifactGeneratorSpec
{
    [Description("Labels and annotations set on every generated ExternalArtifact.")]
    public CommonMetadata? CommonMetadata { get; init; }

    [RequiredField, Items(Min = 1, Max = 1000), Description("Sources read, each under an alias.")]
    public IReadOnlyList<ArtifactSourceReference>? Sources { get; init; }

    [Pattern("^@([a-z0-9]([a-z0-9_-]*[a-z0-9])?)/(.*)$"), Length(Max = 1024),
     Description("@<alias>/<pattern>: directories matched in a source; named captures like {app} fill artifact fields.")]
    public string? PathPattern { get; init; }

    [RequiredField, Items(Min = 1, Max = 1000), Description("ExternalArtifacts to generate.")]
    public IReadOnlyList<OutputArtifact>? Artifacts { get; init; }
}

[Description("A source read by a generator, under an alias.")]
public sealed record ArtifactSourceReference
{
    [RequiredField, Pattern("^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$"), Length(Max = 63), Description("Alias used as @<alias> in copy paths.")]
    public string? Alias { get; init; }

    [RequiredField, Pattern("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"), Length(Max = 253), Description("Name of the source object.")]
    public string? Name { get; init; }

    [Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"), Length(Min = 1, Max = 63), Description("Namespace of the source; the generator's when empty.")]
    public string? Namespace { get; init; }

    [RequiredField, Enum("Bucket", "GitRepository", "OCIRepository", "HelmChart", "ExternalArtifact"), Description("Kind of the source object.")]
    public string? Kind { get; init; }
}

[Description("One generated ExternalArtifact and the files copied into it.")]
public sealed record OutputArtifact
{
    [RequiredField, Length(Min = 1, Max = 253), Description("Name of the ExternalArtifact; may use pathPattern captures.")]
    public string? Name { get; init; }

    [Pattern("^@([a-z0-9]([a-z0-9_-]*[a-z0-9])?)$"), Length(Max = 64),
     Description("@<alias> whose revision the artifact takes; the content digest when empty.")]
    public string? Revision { get; init; }

    [Pattern("^@([a-z0-9]([a-z0-9_-]*[a-z0-9])?)$"), Length(Max = 64),
     Description("@<alias> whose origin revision is recorded as org.opencontainers.image.revision.")]
    public string? OriginRevision { get; init; }

    [RequiredField, Items(Min = 1), Description("Copy operations, applied in order; later ones overwrite earlier files.")]
    public IReadOnlyList<CopyOperation>? Copy { get; init; }
}

[Description("Copies files matched in a source into the artifact.")]
public sealed record CopyOperation
{
    [RequiredField, Pattern("^@([a-z0-9]([a-z0-9_-]*[a-z0-9])?)/(.*)$"), Length(Min = 1, Max = 1024),
     Description("@<alias>/<glob> of the files to copy.")]
    public string? From { get; init; }

    [RequiredField, Pattern("^@(artifact)/(.*)$"), Length(Min = 1, Max = 1024), Description("@artifact/<path> to copy to.")]
    public string? To { get; init; }

    [Items(Max = 100), Description("Globs of files and directories left out.")]
    public IReadOnlyList<string>? Exclude { get; init; }

    [Enum("Overwrite", "Merge", "Extract"),
     Description("Overwrite files, merge YAML as Helm merges values, or extract tarballs; Overwrite when empty.")]
    public string? Strategy { get; init; }
}

[Description("Observed state of an ArtifactGenerator.")]
public sealed record ArtifactGeneratorStatus
{
    [Description("Last reconcile.fluxcd.io/requestedAt value handled.")]
    public string? LastHandledReconcileAt { get; init; }

    [Description("Ready, Reconciling and Stalled conditions.")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("The ExternalArtifacts generated.")]
    public IReadOnlyList<GeneratedArtifactReference>? Inventory { get; init; }

    [Description("Digest of the revisions of every source, to notice changes.")]
    public string? ObservedSourcesDigest { get; init; }
}

[Description("A generated ExternalArtifact and the digest of its content.")]
public sealed record GeneratedArtifactReference
{
    [RequiredField, Description("Name of the ExternalArtifact.")]
    public string? Name { get; init; }

    [RequiredField, Description("Namespace of the ExternalArtifact.")]
    public string? Namespace { get; init; }

    [RequiredField, Description("Digest of the artifact.")]
    public string? Digest { get; init; }

    [RequiredField, Description("File name of the artifact tarball.")]
    public string? Filename { get; init; }
}
