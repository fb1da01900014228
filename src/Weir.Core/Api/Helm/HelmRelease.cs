using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Schema;
using Weir.Core.Conditions;
using Weir.Core.Time;

namespace Weir.Core.Api.Helm;

/// <summary>Group and version of the helm API.</summary>
public static class HelmApi
{
    public const string Group = "helm.toolkit.fluxcd.io";
    public const string Version = "v2";
    public const string ApiVersion = Group + "/" + Version;
}

[Description("Installs a Helm chart as a release and keeps it upgraded, tested and free of drift.")]
public sealed record HelmRelease
{
    public const string KindName = "HelmRelease";

    public string? ApiVersion { get; init; } = HelmApi.ApiVersion;

    public string? Kind { get; init; } = KindName;

    public ObjectMeta? Metadata { get; init; }

    public HelmReleaseSpec? Spec { get; init; }

    public HelmReleaseStatus? Status { get; init; }
}

[Description("Which chart to release, with which values, and how to run the Helm actions.")]
[CelRule("has(self.chart) != has(self.chartRef)", "exactly one of chart or chartRef is required")]
public sealed record HelmReleaseSpec
{
    [Description("Template of a HelmChart the controller creates to fetch the chart.")]
    public HelmChartTemplate? Chart { get; init; }

    [Description("An existing chart source: OCIRepository, HelmChart or ExternalArtifact.")]
    public ChartReference? ChartRef { get; init; }

    [RequiredField, Pattern(FluxDuration.Pattern), Description("How often to reconcile.")]
    public string? Interval { get; init; }

    [Description("Kubernetes config for a remote cluster to release into.")]
    public KubeConfigReference? KubeConfig { get; init; }

    [Description("HelmReleases that must be ready first.")]
    public IReadOnlyList<DependencyReference>? DependsOn { get; init; }

    [Length(Min = 1, Max = 63), Description("Namespace to install into; the HelmRelease's namespace when empty.")]
    public string? TargetNamespace { get; init; }

    [Length(Min = 1, Max = 63), Description("Namespace for Helm's release storage; the HelmRelease's namespace when empty.")]
    public string? StorageNamespace { get; init; }

    [Description("Labels and annotations added to every rendered object.")]
    public CommonMetadata? CommonMetadata { get; init; }

    [Length(Min = 1, Max = 53), Description("Helm release name; [targetNamespace-]name when empty.")]
    public string? ReleaseName { get; init; }

    [Length(Min = 1, Max = 253), Description("Service account to impersonate for Helm actions.")]
    public string? ServiceAccountName { get; init; }

    [Description("Keep the Kubernetes client between reconciliations; true when empty.")]
    public bool? PersistentClient { get; init; }

    [Description("Drift detection between the release manifest and the cluster.")]
    public DriftDetection? DriftDetection { get; init; }

    [Description("How to wait for resources to become ready.")]
    public WaitStrategy? WaitStrategy { get; init; }

    [Description("CEL health rules for custom kinds.")]
    public IReadOnlyList<CustomHealthCheck>? HealthCheckExprs { get; init; }

    [Pattern(FluxDuration.Pattern), Description("Time limit for each Kubernetes operation of a Helm action; 5m0s when empty.")]
    public string? Timeout { get; init; }

    [Description("Release revisions to keep; 5 when empty, 0 for all.")]
    public int? MaxHistory { get; init; }

    [Description("Stop reconciling while true.")]
    public bool? Suspend { get; init; }

    [Description("How to install.")]
    public Install? Install { get; init; }

    [Description("How to upgrade.")]
    public Upgrade? Upgrade { get; init; }

    [Description("Helm tests to run after install and upgrade.")]
    public ReleaseTest? Test { get; init; }

    [Description("How to roll back.")]
    public Rollback? Rollback { get; init; }

    [Description("How to uninstall.")]
    public Uninstall? Uninstall { get; init; }

    [Description("ConfigMaps and Secrets to take values from, merged in order before the inline values.")]
    public IReadOnlyList<ValuesReference>? ValuesFrom { get; init; }

    [FreeForm, Description("Inline chart values.")]
    public JsonElement? Values { get; init; }

    [Description("Kustomize patches applied to the rendered manifests.")]
    public IReadOnlyList<PostRenderer>? PostRenderers { get; init; }

    [Enum("nohooks", "combined", "separate"), Description("Whether post-renderers see hooks, and together with the manifests or not.")]
    public string? PostRenderStrategy { get; init; }
}

[Description("Template of the HelmChart created for this release.")]
public sealed record HelmChartTemplate
{
    [Description("Labels and annotations of the generated HelmChart.")]
    public HelmChartTemplateMetadata? Metadata { get; init; }

    [RequiredField, Description("Spec of the generated HelmChart.")]
    public HelmChartTemplateSpec? Spec { get; init; }
}

[Description("Labels and annotations of the generated HelmChart.")]
public sealed record HelmChartTemplateMetadata
{
    [Description("Labels to set.")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [Description("Annotations to set.")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}

[Description("Spec of the generated HelmChart.")]
public sealed record HelmChartTemplateSpec
{
    [RequiredField, Length(Min = 1, Max = 2048), Description("Chart name or path in the source.")]
    public string? Chart { get; init; }

    [Default("*"), Description("Semantic version range; ignored for Git and Bucket sources.")]
    public string? Version { get; init; }

    [RequiredField, Description("Source holding the chart.")]
    public CrossNamespaceObjectReference? SourceRef { get; init; }

    [Pattern(FluxDuration.Pattern), Description("How often to check the source; the release interval when empty.")]
    public string? Interval { get; init; }

    [Enum("ChartVersion", "Revision"), Default("ChartVersion"), Description("Build a new chart when the version changes, or on every source revision.")]
    public string? ReconcileStrategy { get; init; }

    [Description("Values files merged in order into the chart's values.yaml.")]
    public IReadOnlyList<string>? ValuesFiles { get; init; }

    [Description("Skip values files that do not exist.")]
    public bool? IgnoreMissingValuesFiles { get; init; }

    [Description("Signature verification of OCI charts.")]
    public HelmChartTemplateVerification? Verify { get; init; }
}

[Description("Names a chart source, optionally in another namespace.")]
public sealed record CrossNamespaceObjectReference
{
    [Description("API version of the source.")]
    public string? ApiVersion { get; init; }

    [RequiredField, Enum("HelmRepository", "GitRepository", "Bucket"), Description("Kind of the source.")]
    public string? Kind { get; init; }

    [RequiredField, Length(Min = 1, Max = 253), Description("Name of the source.")]
    public string? Name { get; init; }

    [Length(Min = 1, Max = 63), Description("Namespace of the source; the release's namespace when empty.")]
    public string? Namespace { get; init; }
}

[Description("Signature verification of the chart.")]
public sealed record HelmChartTemplateVerification
{
    [RequiredField, Enum("cosign", "notation"), Default("cosign"), Description("Signature tool.")]
    public string? Provider { get; init; }

    [Description("Secret with public keys or a notation trust policy.")]
    public LocalObjectReference? SecretRef { get; init; }
}

[Description("Names an existing chart source.")]
public sealed record ChartReference
{
    [Description("API version of the source.")]
    public string? ApiVersion { get; init; }

    [RequiredField, Enum("OCIRepository", "HelmChart", "ExternalArtifact"), Description("Kind of the source.")]
    public string? Kind { get; init; }

    [RequiredField, Length(Min = 1, Max = 253), Description("Name of the source.")]
    public string? Name { get; init; }

    [Length(Min = 1, Max = 63), Description("Namespace of the source; the release's namespace when empty.")]
    public string? Namespace { get; init; }
}

[Description("Drift detection settings.")]
public sealed record DriftDetection
{
    [Enum("enabled", "warn", "disabled"), Description("enabled corrects drift, warn only reports it, disabled (the default) ignores it.")]
    public string? Mode { get; init; }

    [Description("Fields to leave out of drift detection.")]
    public IReadOnlyList<IgnoreRule>? Ignore { get; init; }
}

[Description("How readiness is awaited.")]
public sealed record WaitStrategy
{
    [RequiredField, Enum("poller", "legacy"), Description("poller uses kstatus; legacy uses Helm's own wait.")]
    public string? Name { get; init; }
}

[Description("What to do after a failed action.")]
public sealed record ActionStrategy
{
    [RequiredField, Enum("RemediateOnFailure", "RetryOnFailure"), Description("Remediate (roll back or uninstall) or retry after a failure.")]
    public string? Name { get; init; }

    [Pattern(FluxDuration.Pattern), Description("Delay between retries (RetryOnFailure only).")]
    public string? RetryInterval { get; init; }
}

[Description("Install settings.")]
public sealed record Install
{
    [Pattern(FluxDuration.Pattern), Description("Time limit for the install; spec.timeout when empty.")]
    public string? Timeout { get; init; }

    [Description("What to do when the install fails.")]
    public InstallStrategy? Strategy { get; init; }

    [Description("Remediation of a failed install.")]
    public InstallRemediation? Remediation { get; init; }

    [Description("Do not adopt existing objects.")]
    public bool? DisableTakeOwnership { get; init; }

    [Description("Do not wait for resources to become ready.")]
    public bool? DisableWait { get; init; }

    [Description("Do not wait for Jobs to complete.")]
    public bool? DisableWaitForJobs { get; init; }

    [Description("Skip hooks.")]
    public bool? DisableHooks { get; init; }

    [Description("Skip OpenAPI validation of the rendered manifests.")]
    public bool? DisableOpenAPIValidation { get; init; }

    [Description("Skip JSON schema validation of the values.")]
    public bool? DisableSchemaValidation { get; init; }

    [Description("Reuse the name of a deleted release still in history.")]
    public bool? Replace { get; init; }

    [Description("Deprecated: use crds: Skip.")]
    public bool? SkipCRDs { get; init; }

    [JsonPropertyName("crds"), Enum("Skip", "Create", "CreateReplace"), Description("How to handle the chart's CRDs; Create when empty.")]
    public string? Crds { get; init; }

    [Description("Create the target namespace if missing.")]
    public bool? CreateNamespace { get; init; }

    [Description("Apply with server-side apply; true when empty.")]
    public bool? ServerSideApply { get; init; }
}

[Description("What to do after a failed install.")]
[CelRule("!has(self.retryInterval) || self.name != 'RemediateOnFailure'", "retryInterval is only allowed with RetryOnFailure")]
public sealed record InstallStrategy
{
    [RequiredField, Enum("RemediateOnFailure", "RetryOnFailure"), Description("Remediate or retry after a failure.")]
    public string? Name { get; init; }

    [Pattern(FluxDuration.Pattern), Description("Delay between retries (RetryOnFailure only).")]
    public string? RetryInterval { get; init; }
}

[Description("What to do after a failed upgrade.")]
[CelRule("!has(self.retryInterval) || self.name == 'RetryOnFailure'", "retryInterval is only allowed with RetryOnFailure")]
public sealed record UpgradeStrategy
{
    [RequiredField, Enum("RemediateOnFailure", "RetryOnFailure"), Description("Remediate or retry after a failure.")]
    public string? Name { get; init; }

    [Pattern(FluxDuration.Pattern), Description("Delay between retries (RetryOnFailure only).")]
    public string? RetryInterval { get; init; }
}

[Description("Remediation of failed installs.")]
public sealed record InstallRemediation
{
    [Description("Retries before giving up; negative retries forever.")]
    public int? Retries { get; init; }

    [Description("Treat failed tests as success.")]
    public bool? IgnoreTestFailures { get; init; }

    [Description("Remediate the last failure when retries are exhausted.")]
    public bool? RemediateLastFailure { get; init; }
}

[Description("Remediation of failed upgrades.")]
public sealed record UpgradeRemediation
{
    [Description("Retries before giving up; negative retries forever.")]
    public int? Retries { get; init; }

    [Description("Treat failed tests as success.")]
    public bool? IgnoreTestFailures { get; init; }

    [Description("Remediate the last failure when retries are exhausted.")]
    public bool? RemediateLastFailure { get; init; }

    [Enum("rollback", "uninstall"), Description("Roll back (the default) or uninstall.")]
    public string? Strategy { get; init; }
}

[Description("Upgrade settings.")]
public sealed record Upgrade
{
    [Pattern(FluxDuration.Pattern), Description("Time limit for the upgrade; spec.timeout when empty.")]
    public string? Timeout { get; init; }

    [Description("What to do when the upgrade fails.")]
    public UpgradeStrategy? Strategy { get; init; }

    [Description("Remediation of a failed upgrade.")]
    public UpgradeRemediation? Remediation { get; init; }

    [Description("Do not adopt existing objects.")]
    public bool? DisableTakeOwnership { get; init; }

    [Description("Do not wait for resources to become ready.")]
    public bool? DisableWait { get; init; }

    [Description("Do not wait for Jobs to complete.")]
    public bool? DisableWaitForJobs { get; init; }

    [Description("Skip hooks.")]
    public bool? DisableHooks { get; init; }

    [Description("Skip OpenAPI validation of the rendered manifests.")]
    public bool? DisableOpenAPIValidation { get; init; }

    [Description("Skip JSON schema validation of the values.")]
    public bool? DisableSchemaValidation { get; init; }

    [Description("Replace objects instead of patching them.")]
    public bool? Force { get; init; }

    [Description("Reuse the values of the previous release.")]
    public bool? PreserveValues { get; init; }

    [Description("Delete objects created by a failed upgrade.")]
    public bool? CleanupOnFail { get; init; }

    [JsonPropertyName("crds"), Enum("Skip", "Create", "CreateReplace"), Description("How to handle the chart's CRDs; Skip when empty.")]
    public string? Crds { get; init; }

    [Enum("enabled", "disabled", "auto"), Description("Server-side apply: auto follows the previous release.")]
    public string? ServerSideApply { get; init; }

    [Enum("InPlaceUpdate", "Reinstall"), Description("What to do when the chart name changes; Reinstall when empty.")]
    public string? ChartNameChangeStrategy { get; init; }
}

[Description("Helm test settings.")]
public sealed record ReleaseTest
{
    [Description("Run tests after install and upgrade.")]
    public bool? Enable { get; init; }

    [Pattern(FluxDuration.Pattern), Description("Time limit for the tests; spec.timeout when empty.")]
    public string? Timeout { get; init; }

    [Description("Do not fail the release when tests fail.")]
    public bool? IgnoreFailures { get; init; }

    [Description("Tests to run or skip.")]
    public IReadOnlyList<TestFilter>? Filters { get; init; }
}

[Description("Selects a test by name.")]
public sealed record TestFilter
{
    [RequiredField, Length(Min = 1, Max = 253), Description("Test name.")]
    public string? Name { get; init; }

    [Description("Skip this test instead of running only it.")]
    public bool? Exclude { get; init; }
}

[Description("Rollback settings.")]
public sealed record Rollback
{
    [Pattern(FluxDuration.Pattern), Description("Time limit for the rollback; spec.timeout when empty.")]
    public string? Timeout { get; init; }

    [Description("Do not wait for resources to become ready.")]
    public bool? DisableWait { get; init; }

    [Description("Do not wait for Jobs to complete.")]
    public bool? DisableWaitForJobs { get; init; }

    [Description("Skip hooks.")]
    public bool? DisableHooks { get; init; }

    [Description("Deprecated; has no effect.")]
    public bool? Recreate { get; init; }

    [Description("Replace objects instead of patching them.")]
    public bool? Force { get; init; }

    [Description("Delete objects created by a failed rollback.")]
    public bool? CleanupOnFail { get; init; }

    [Enum("enabled", "disabled", "auto"), Description("Server-side apply: auto follows the release rolled back to.")]
    public string? ServerSideApply { get; init; }
}

[Description("Uninstall settings.")]
public sealed record Uninstall
{
    [Pattern(FluxDuration.Pattern), Description("Time limit for the uninstall; spec.timeout when empty.")]
    public string? Timeout { get; init; }

    [Description("Skip hooks.")]
    public bool? DisableHooks { get; init; }

    [Description("Keep the release history.")]
    public bool? KeepHistory { get; init; }

    [Description("Do not wait for resources to be deleted.")]
    public bool? DisableWait { get; init; }

    [Enum("background", "foreground", "orphan"), Default("background"), Description("Deletion propagation policy.")]
    public string? DeletionPropagation { get; init; }
}

[Description("A post-renderer.")]
public sealed record PostRenderer
{
    [Description("Kustomize patches and image overrides.")]
    public KustomizePostRenderer? Kustomize { get; init; }
}

[Description("Kustomize post-rendering.")]
public sealed record KustomizePostRenderer
{
    [Description("Patches to apply.")]
    public IReadOnlyList<Patch>? Patches { get; init; }

    [Description("Image overrides.")]
    public IReadOnlyList<ImageOverride>? Images { get; init; }
}

[Description("Observed state of a HelmRelease.")]
public sealed record HelmReleaseStatus
{
    [Description("Generation last reconciled.")]
    public long? ObservedGeneration { get; init; }

    [Description("Checksum of the post-renderers last used.")]
    public string? ObservedPostRenderersDigest { get; init; }

    [Description("Checksum of the common metadata last used.")]
    public string? ObservedCommonMetadataDigest { get; init; }

    [Description("Generation last attempted.")]
    public long? LastAttemptedGeneration { get; init; }

    [Description("Ready, Reconciling, Stalled, Released, TestSuccess and Remediated conditions.")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("The generated HelmChart as <namespace>/<name>.")]
    public string? HelmChart { get; init; }

    [Length(Min = 1, Max = 63), Description("Namespace of the release storage last used.")]
    public string? StorageNamespace { get; init; }

    [Description("Release snapshots, newest first.")]
    public IReadOnlyList<Snapshot>? History { get; init; }

    [Description("Objects of the current release.")]
    public ResourceInventory? Inventory { get; init; }

    [Enum("install", "upgrade"), Description("Last release action attempted.")]
    public string? LastAttemptedReleaseAction { get; init; }

    [Description("Duration of the last release action.")]
    public string? LastAttemptedReleaseActionDuration { get; init; }

    [Description("Failures since the last success.")]
    public long? Failures { get; init; }

    [Description("Install failures since the last success.")]
    public long? InstallFailures { get; init; }

    [Description("Upgrade failures since the last success.")]
    public long? UpgradeFailures { get; init; }

    [Description("Chart version last attempted.")]
    public string? LastAttemptedRevision { get; init; }

    [Description("OCI digest of the chart last attempted.")]
    public string? LastAttemptedRevisionDigest { get; init; }

    [Description("Checksum of the values last attempted.")]
    public string? LastAttemptedConfigDigest { get; init; }

    [Description("Deprecated: checksum of the values last attempted.")]
    public string? LastAttemptedValuesChecksum { get; init; }

    [Description("Deprecated: revision of the last release.")]
    public int? LastReleaseRevision { get; init; }

    [Description("Last reconcile.fluxcd.io/requestedAt value handled.")]
    public string? LastHandledReconcileAt { get; init; }

    [Description("Last reconcile.fluxcd.io/forceAt value handled.")]
    public string? LastHandledForceAt { get; init; }

    [Description("Last reconcile.fluxcd.io/resetAt value handled.")]
    public string? LastHandledResetAt { get; init; }
}

[Description("A Helm release revision as recorded in storage.")]
public sealed record Snapshot
{
    [Description("Version of the snapshot format.")]
    public string? ApiVersion { get; init; }

    [RequiredField, Description("Checksum of the release object.")]
    public string? Digest { get; init; }

    [RequiredField, Description("Release name.")]
    public string? Name { get; init; }

    [RequiredField, Description("Release namespace.")]
    public string? Namespace { get; init; }

    [RequiredField, Description("Release revision.")]
    public int? Version { get; init; }

    [RequiredField, Description("Release status, e.g. deployed, superseded, failed.")]
    public string? Status { get; init; }

    [Description("Action that produced the revision.")]
    public string? Action { get; init; }

    [RequiredField, Description("Chart name.")]
    public string? ChartName { get; init; }

    [RequiredField, Description("Chart version.")]
    public string? ChartVersion { get; init; }

    [Description("Application version of the chart.")]
    public string? AppVersion { get; init; }

    [RequiredField, Description("Checksum of the release values.")]
    public string? ConfigDigest { get; init; }

    [RequiredField, JsonConverter(typeof(KubeTimeJsonConverter)), Description("When the release was first deployed.")]
    public DateTimeOffset? FirstDeployed { get; init; }

    [RequiredField, JsonConverter(typeof(KubeTimeJsonConverter)), Description("When this revision was deployed.")]
    public DateTimeOffset? LastDeployed { get; init; }

    [JsonConverter(typeof(KubeTimeJsonConverter)), Description("When the release was uninstalled.")]
    public DateTimeOffset? Deleted { get; init; }

    [Description("Test hooks by name and their last run.")]
    public IReadOnlyDictionary<string, TestHookStatus>? TestHooks { get; init; }

    [Description("OCI digest of the chart.")]
    public string? OciDigest { get; init; }
}

[Description("Last run of a test hook.")]
public sealed record TestHookStatus
{
    [JsonConverter(typeof(KubeTimeJsonConverter)), Description("When the test started.")]
    public DateTimeOffset? LastStarted { get; init; }

    [JsonConverter(typeof(KubeTimeJsonConverter)), Description("When the test finished.")]
    public DateTimeOffset? LastCompleted { get; init; }

    [Description("Test phase, e.g. Succeeded or Failed.")]
    public string? Phase { get; init; }
}
