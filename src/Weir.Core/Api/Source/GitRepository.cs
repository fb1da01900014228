using System.ComponentModel;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Schema;
using Weir.Core.Conditions;
using Weir.Core.Time;

namespace Weir.Core.Api.Source;

[Description("Clones a Git repository at a branch, tag, semver range or commit and stores it as a tarball.")]
public sealed record GitRepository
{
    public const string KindName = "GitRepository";

    public string? ApiVersion { get; init; } = SourceApi.ApiVersion;

    public string? Kind { get; init; } = KindName;

    public ObjectMeta? Metadata { get; init; }

    public GitRepositorySpec? Spec { get; init; }

    public GitRepositoryStatus? Status { get; init; }
}

[Description("What to clone, from where, and how often.")]
[CelRule("!has(self.serviceAccountName) || (has(self.provider) && self.provider in ['azure', 'aws'])",
    "serviceAccountName needs provider azure or aws")]
public sealed record GitRepositorySpec
{
    [RequiredField, Pattern("^(http|https|ssh)://.*$"), Description("Repository address (http, https or ssh).")]
    public string? Url { get; init; }

    [Description("Secret with credentials: username/password, bearerToken, identity/known_hosts or TLS keys.")]
    public LocalObjectReference? SecretRef { get; init; }

    [Enum("generic", "aws", "azure", "github"), Description("Provider used for authentication; generic when empty.")]
    public string? Provider { get; init; }

    [Description("Service account used for workload-identity authentication.")]
    public string? ServiceAccountName { get; init; }

    [RequiredField, Pattern(FluxDuration.Pattern), Description("How often to check the repository.")]
    public string? Interval { get; init; }

    [Pattern(FluxDuration.TimeoutPattern), Default("60s"), Description("Time limit for Git operations.")]
    public string? Timeout { get; init; }

    [Description("Which revision to check out; branch master when empty.")]
    public GitRepositoryRef? Ref { get; init; }

    [Description("Verify the commit or tag signature.")]
    public GitRepositoryVerification? Verify { get; init; }

    [Description("Secret with the proxy address and credentials.")]
    public LocalObjectReference? ProxySecretRef { get; init; }

    [Description("Paths to leave out of the artifact, in .gitignore syntax; replaces the default exclusions.")]
    public string? Ignore { get; init; }

    [Description("Stop reconciling while true.")]
    public bool? Suspend { get; init; }

    [Description("Also clone submodules.")]
    public bool? RecurseSubmodules { get; init; }

    [Description("Artifacts of other GitRepositories to copy into this one.")]
    public IReadOnlyList<GitRepositoryInclude>? Include { get; init; }

    [Description("Directories to check out; the whole tree when empty.")]
    public IReadOnlyList<string>? SparseCheckout { get; init; }
}

[Description("Selects the revision; commit beats name beats semver beats tag beats branch.")]
public sealed record GitRepositoryRef
{
    [Description("Branch to follow.")]
    public string? Branch { get; init; }

    [Description("Tag to check out.")]
    public string? Tag { get; init; }

    [Description("Semantic version range over tags.")]
    public string? Semver { get; init; }

    [Description("Full reference name, e.g. refs/pull/1/head.")]
    public string? Name { get; init; }

    [Description("Commit SHA to check out.")]
    public string? Commit { get; init; }
}

[Description("Signature verification of the checked-out commit or tag.")]
public sealed record GitRepositoryVerification
{
    [Enum("head", "HEAD", "Tag", "TagAndHEAD"), Default("HEAD"), Description("What to verify: the HEAD commit, the tag, or both.")]
    public string? Mode { get; init; }

    [RequiredField, Description("Secret with the trusted public keys.")]
    public LocalObjectReference? SecretRef { get; init; }
}

[Description("Copies a path of another GitRepository's artifact into this one.")]
public sealed record GitRepositoryInclude
{
    [RequiredField, Description("The GitRepository to include.")]
    public LocalObjectReference? Repository { get; init; }

    [Description("Path in the included artifact; its root when empty.")]
    public string? FromPath { get; init; }

    [Description("Destination path; the included repository's name when empty.")]
    public string? ToPath { get; init; }
}

[Description("Observed state of a GitRepository.")]
public sealed record GitRepositoryStatus
{
    [Description("Generation last reconciled.")]
    public long? ObservedGeneration { get; init; }

    [Description("Ready, Reconciling, Stalled and source-specific conditions.")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("The stored artifact.")]
    public Artifact? Artifact { get; init; }

    [Description("Artifacts of the included repositories.")]
    public IReadOnlyList<Artifact>? IncludedArtifacts { get; init; }

    [Description("Ignore rules used for the stored artifact.")]
    public string? ObservedIgnore { get; init; }

    [Description("Submodule setting used for the stored artifact.")]
    public bool? ObservedRecurseSubmodules { get; init; }

    [Description("Includes used for the stored artifact.")]
    public IReadOnlyList<GitRepositoryInclude>? ObservedInclude { get; init; }

    [Description("Sparse checkout used for the stored artifact.")]
    public IReadOnlyList<string>? ObservedSparseCheckout { get; init; }

    [Description("Verification mode used for the stored artifact.")]
    public string? SourceVerificationMode { get; init; }

    [Description("Last reconcile.fluxcd.io/requestedAt value handled.")]
    public string? LastHandledReconcileAt { get; init; }
}
