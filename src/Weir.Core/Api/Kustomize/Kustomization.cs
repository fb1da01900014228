using System.ComponentModel;
using System.Text.Json.Serialization;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Schema;
using Weir.Core.Conditions;
using Weir.Core.Time;

namespace Weir.Core.Api.Kustomize;

/// <summary>Group and version of the kustomize API.</summary>
public static class KustomizeApi
{
    public const string Group = "kustomize.toolkit.fluxcd.io";
    public const string Version = "v1";
    public const string ApiVersion = Group + "/" + Version;
}

[Description("Builds a path of a source artifact with kustomize and applies the result to the cluster, pruning what was removed.")]
public sealed record Kustomization
{
    public const string KindName = "Kustomization";

    public string? ApiVersion { get; init; } = KustomizeApi.ApiVersion;

    public string? Kind { get; init; } = KindName;

    public ObjectMeta? Metadata { get; init; }

    public KustomizationSpec? Spec { get; init; }

    public KustomizationStatus? Status { get; init; }
}

[Description("What to build, how to apply it, and how often.")]
public sealed record KustomizationSpec
{
    [RequiredField, Description("The source artifact to build.")]
    public KustomizationSourceReference? SourceRef { get; init; }

    [Description("Directory in the artifact holding the manifests; the artifact root when empty.")]
    public string? Path { get; init; }

    [RequiredField, Pattern(FluxDuration.Pattern), Description("How often to reconcile.")]
    public string? Interval { get; init; }

    [Pattern(FluxDuration.Pattern), Description("Retry period after a failure; interval when empty.")]
    public string? RetryInterval { get; init; }

    [Pattern(FluxDuration.Pattern), Description("Time limit for build, apply and health checks.")]
    public string? Timeout { get; init; }

    [RequiredField, Description("Delete objects that disappeared from the source.")]
    public bool? Prune { get; init; }

    [Enum("MirrorPrune", "Delete", "WaitForTermination", "Orphan"), Description("What to do with applied objects when this Kustomization is deleted; MirrorPrune when empty.")]
    public string? DeletionPolicy { get; init; }

    [Length(Min = 1, Max = 63), Description("Namespace set on every namespaced object.")]
    public string? TargetNamespace { get; init; }

    [Length(Min = 1, Max = 200), Description("Prefix added to object names.")]
    public string? NamePrefix { get; init; }

    [Length(Min = 1, Max = 200), Description("Suffix added to object names.")]
    public string? NameSuffix { get; init; }

    [Description("Labels and annotations added to every applied object.")]
    public CommonMetadata? CommonMetadata { get; init; }

    [Description("Patches applied after the build.")]
    public IReadOnlyList<Patch>? Patches { get; init; }

    [Description("Image overrides applied after the build.")]
    public IReadOnlyList<ImageOverride>? Images { get; init; }

    [Description("Kustomize components to include.")]
    public IReadOnlyList<string>? Components { get; init; }

    [Description("Skip components that do not exist.")]
    public bool? IgnoreMissingComponents { get; init; }

    [Description("Variable substitution after the build.")]
    public PostBuild? PostBuild { get; init; }

    [Description("Kustomizations that must be ready first.")]
    public IReadOnlyList<DependencyReference>? DependsOn { get; init; }

    [Description("Wait for every applied object to become ready; healthChecks is ignored.")]
    public bool? Wait { get; init; }

    [Description("Objects whose readiness decides this Kustomization's health.")]
    public IReadOnlyList<NamespacedObjectKindReference>? HealthChecks { get; init; }

    [Description("CEL health rules for custom kinds.")]
    public IReadOnlyList<CustomHealthCheck>? HealthCheckExprs { get; init; }

    [Default(false), Description("Recreate objects whose immutable fields changed.")]
    public bool? Force { get; init; }

    [Description("Service account to impersonate when applying.")]
    public string? ServiceAccountName { get; init; }

    [Description("Apply to a remote cluster described by this kubeconfig.")]
    public KubeConfigReference? KubeConfig { get; init; }

    [Description("Decrypt SOPS-encrypted secrets before applying.")]
    public Decryption? Decryption { get; init; }

    [Enum("originAnnotations", "transformerAnnotations"), Description("Build annotations kustomize should add.")]
    public IReadOnlyList<string>? BuildMetadata { get; init; }

    [Description("Fields to leave alone when applying and detecting drift.")]
    public IReadOnlyList<IgnoreRule>? Ignore { get; init; }

    [Description("Stop reconciling while true.")]
    public bool? Suspend { get; init; }
}

[Description("Names the source of a Kustomization.")]
public sealed record KustomizationSourceReference
{
    [Description("API version of the source.")]
    public string? ApiVersion { get; init; }

    [RequiredField, Enum("OCIRepository", "GitRepository", "Bucket", "ExternalArtifact"), Description("Kind of the source.")]
    public string? Kind { get; init; }

    [RequiredField, Description("Name of the source.")]
    public string? Name { get; init; }

    [Description("Namespace of the source; the Kustomization's namespace when empty.")]
    public string? Namespace { get; init; }
}

[Description("Variables substituted into the built manifests.")]
public sealed record PostBuild
{
    [Description("Variables and their values; these win over substituteFrom.")]
    public IReadOnlyDictionary<string, string>? Substitute { get; init; }

    [Description("ConfigMaps and Secrets holding variables; later ones override earlier ones.")]
    public IReadOnlyList<SubstituteReference>? SubstituteFrom { get; init; }

    [Enum("WithVariables", "Always"), Description("Substitute only when variables are defined, or always.")]
    public string? SubstituteStrategy { get; init; }
}

[Description("A ConfigMap or Secret holding substitution variables.")]
public sealed record SubstituteReference
{
    [RequiredField, Enum("Secret", "ConfigMap"), Description("Kind of the variables source.")]
    public string? Kind { get; init; }

    [RequiredField, Length(Min = 1, Max = 253), Description("Name of the variables source.")]
    public string? Name { get; init; }

    [Default(false), Description("Do not fail when the source is missing.")]
    public bool? Optional { get; init; }
}

[Description("How to decrypt secrets.")]
public sealed record Decryption
{
    [RequiredField, Enum("sops"), Description("Decryption tool.")]
    public string? Provider { get; init; }

    [Description("Secret with decryption keys.")]
    public LocalObjectReference? SecretRef { get; init; }

    [Description("Service account used for cloud KMS authentication.")]
    public string? ServiceAccountName { get; init; }
}

[Description("Observed state of a Kustomization.")]
public sealed record KustomizationStatus
{
    [Description("Generation last reconciled.")]
    public long? ObservedGeneration { get; init; }

    [Description("Ready, Reconciling, Stalled and Healthy conditions.")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("Source revision last applied successfully.")]
    public string? LastAppliedRevision { get; init; }

    [Description("Origin revision (e.g. from OCI annotations) last applied successfully.")]
    public string? LastAppliedOriginRevision { get; init; }

    [Description("Source revision last attempted.")]
    public string? LastAttemptedRevision { get; init; }

    [Description("Objects applied by the last successful reconciliation.")]
    public ResourceInventory? Inventory { get; init; }

    [Description("Recent reconciliations, newest first.")]
    public IReadOnlyList<ReconcileSnapshot>? History { get; init; }

    [Description("Last reconcile.fluxcd.io/requestedAt value handled.")]
    public string? LastHandledReconcileAt { get; init; }
}

[Description("Summary of reconciliations that produced the same manifests and outcome.")]
public sealed record ReconcileSnapshot
{
    [RequiredField, Description("Checksum of the built manifests.")]
    public string? Digest { get; init; }

    [RequiredField, JsonConverter(typeof(KubeTimeJsonConverter)), Description("First reconciliation with this digest and status.")]
    public DateTimeOffset? FirstReconciled { get; init; }

    [RequiredField, JsonConverter(typeof(KubeTimeJsonConverter)), Description("Latest reconciliation with this digest and status.")]
    public DateTimeOffset? LastReconciled { get; init; }

    [RequiredField, Description("Duration of the latest reconciliation.")]
    public string? LastReconciledDuration { get; init; }

    [RequiredField, Description("Ready reason of the latest reconciliation.")]
    public string? LastReconciledStatus { get; init; }

    [RequiredField, Description("How many reconciliations this entry counts.")]
    public long? TotalReconciliations { get; init; }

    [Description("Revision and origin revision of the source.")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
