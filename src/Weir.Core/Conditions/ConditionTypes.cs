namespace Weir.Core.Conditions;

/// <summary>Condition types used by Flux's controllers (fluxcd/pkg/apis/meta and the source/kustomize/helm APIs).</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string Reconciling = "Reconciling";
    public const string Stalled = "Stalled";
    public const string Healthy = "Healthy";
    public const string ArtifactInStorage = "ArtifactInStorage";
    public const string ArtifactOutdated = "ArtifactOutdated";
    public const string SourceVerified = "SourceVerified";
    public const string FetchFailed = "FetchFailed";
    public const string BuildFailed = "BuildFailed";
    public const string StorageOperationFailed = "StorageOperationFailed";
    public const string IncludeUnavailable = "IncludeUnavailable";
    public const string Released = "Released";
    public const string TestSuccess = "TestSuccess";
    public const string Remediated = "Remediated";
    public const string Drifted = "Drifted";

    /// <summary>Abnormal-true types: present only while True (kstatus), removed otherwise.</summary>
    public static bool IsAbnormalTrue(string type) => type is Reconciling or Stalled
        or ArtifactOutdated or FetchFailed or BuildFailed or StorageOperationFailed or IncludeUnavailable;
}

/// <summary>Condition reasons shared by Flux's controllers.</summary>
public static class ConditionReasons
{
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string Progressing = "Progressing";
    public const string ProgressingWithRetry = "ProgressingWithRetry";
    public const string Suspended = "Suspended";
    public const string DependencyNotReady = "DependencyNotReady";
    public const string ReconciliationSucceeded = "ReconciliationSucceeded";
    public const string ReconciliationFailed = "ReconciliationFailed";
    public const string ArtifactFailed = "ArtifactFailed";
    public const string BuildFailed = "BuildFailed";
    public const string HealthCheckFailed = "HealthCheckFailed";
    public const string HealthCheckCanceled = "HealthCheckCanceled";
    public const string PruneFailed = "PruneFailed";
    public const string InvalidPath = "InvalidPath";
    public const string InvalidURL = "InvalidURL";
    public const string URLInvalid = "URLInvalid";
    public const string AuthenticationFailed = "AuthenticationFailed";
    public const string ReadOperationFailed = "ReadOperationFailed";
    public const string OCIArtifactPullFailed = "OCIArtifactPullFailed";
    public const string OCIArtifactLayerOperationFailed = "OCIArtifactLayerOperationFailed";
    public const string NewRevision = "NewRevision";
    public const string ArtifactUpToDate = "ArtifactUpToDate";
    public const string AccessDenied = "AccessDenied";
    public const string InvalidCELExpression = "InvalidCELExpression";
    public const string GitOperationFailed = "GitOperationFailed";
    public const string ArchiveOperationFailed = "ArchiveOperationFailed";
    public const string UnsupportedConfiguration = "UnsupportedConfiguration";

    // HelmRepository and HelmChart (source-controller).
    public const string IndexationFailed = "IndexationFailed";
    public const string ChartPullSucceeded = "ChartPullSucceeded";
    public const string ChartPackageSucceeded = "ChartPackageSucceeded";
    public const string NoSourceArtifact = "NoSourceArtifact";
    public const string SourceUnavailable = "SourceUnavailable";
    public const string NewChart = "NewChart";

    // source-watcher's (ArtifactGenerator)
    public const string SourceFetchFailed = "SourceFetchFailed";
    public const string ValidationFailed = "ValidationFailed";
    public const string ReconciliationDisabled = "ReconciliationDisabled";
}
