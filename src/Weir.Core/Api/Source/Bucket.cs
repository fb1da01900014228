using System.ComponentModel;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Schema;
using Weir.Core.Conditions;
using Weir.Core.Time;

namespace Weir.Core.Api.Source;

[Description("Downloads objects from an S3-compatible, GCS or Azure bucket and stores them as a tarball.")]
public sealed record Bucket
{
    public const string KindName = "Bucket";

    public string? ApiVersion { get; init; } = SourceApi.ApiVersion;

    public string? Kind { get; init; } = KindName;

    public ObjectMeta? Metadata { get; init; }

    public BucketSpec? Spec { get; init; }

    public BucketStatus? Status { get; init; }
}

[Description("Which bucket, how to log in, and how often to check it.")]
[CelRule("self.provider in ['aws', 'generic'] || !has(self.sts)", "sts works only with the aws and generic providers")]
[CelRule("self.provider != 'aws' || !has(self.sts) || self.sts.provider == 'aws'", "the aws provider needs sts provider aws")]
[CelRule("self.provider != 'generic' || !has(self.sts) || self.sts.provider == 'ldap'", "the generic provider needs sts provider ldap")]
[CelRule("!has(self.sts) || self.sts.provider != 'aws' || !has(self.sts.secretRef)", "sts provider aws takes no secretRef")]
[CelRule("!has(self.sts) || self.sts.provider != 'aws' || !has(self.sts.certSecretRef)", "sts provider aws takes no certSecretRef")]
[CelRule("self.provider != 'generic' || !has(self.serviceAccountName)", "the generic provider takes no serviceAccountName")]
[CelRule("!has(self.secretRef) || !has(self.serviceAccountName)", "secretRef and serviceAccountName are mutually exclusive")]
public sealed record BucketSpec
{
    [Enum("generic", "aws", "gcp", "azure"), Default("generic"), Description("Storage provider; generic is any S3-compatible service.")]
    public string? Provider { get; init; }

    [RequiredField, Description("Name of the bucket.")]
    public string? BucketName { get; init; }

    [RequiredField, Description("Storage endpoint host (and port).")]
    public string? Endpoint { get; init; }

    [Description("Security Token Service used to obtain temporary credentials.")]
    public BucketSts? Sts { get; init; }

    [Description("Use plain HTTP.")]
    public bool? Insecure { get; init; }

    [Description("Bucket region.")]
    public string? Region { get; init; }

    [Description("Only objects under this key prefix.")]
    public string? Prefix { get; init; }

    [Description("Secret with access keys.")]
    public LocalObjectReference? SecretRef { get; init; }

    [Description("Service account used for workload-identity authentication.")]
    public string? ServiceAccountName { get; init; }

    [Description("Secret with TLS client certificate and/or CA.")]
    public LocalObjectReference? CertSecretRef { get; init; }

    [Description("Secret with the proxy address and credentials.")]
    public LocalObjectReference? ProxySecretRef { get; init; }

    [RequiredField, Pattern(FluxDuration.Pattern), Description("How often to check the bucket.")]
    public string? Interval { get; init; }

    [Pattern(FluxDuration.TimeoutPattern), Default("60s"), Description("Time limit for bucket operations.")]
    public string? Timeout { get; init; }

    [Description("Paths to leave out of the artifact, in .gitignore syntax; replaces the default exclusions.")]
    public string? Ignore { get; init; }

    [Description("Stop reconciling while true.")]
    public bool? Suspend { get; init; }
}

[Description("Security Token Service settings.")]
public sealed record BucketSts
{
    [RequiredField, Enum("aws", "ldap"), Description("STS flavour.")]
    public string? Provider { get; init; }

    [RequiredField, Pattern("^(http|https)://.*$"), Description("STS address.")]
    public string? Endpoint { get; init; }

    [Description("Secret with LDAP credentials.")]
    public LocalObjectReference? SecretRef { get; init; }

    [Description("Secret with TLS client certificate and/or CA for the STS.")]
    public LocalObjectReference? CertSecretRef { get; init; }
}

[Description("Observed state of a Bucket.")]
public sealed record BucketStatus
{
    [Description("Generation last reconciled.")]
    public long? ObservedGeneration { get; init; }

    [Description("Ready, Reconciling, Stalled and source-specific conditions.")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("Address of the latest artifact.")]
    public string? Url { get; init; }

    [Description("The stored artifact.")]
    public Artifact? Artifact { get; init; }

    [Description("Ignore rules used for the stored artifact.")]
    public string? ObservedIgnore { get; init; }

    [Description("Last reconcile.fluxcd.io/requestedAt value handled.")]
    public string? LastHandledReconcileAt { get; init; }
}
