using System.ComponentModel;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Schema;
using Weir.Core.Conditions;
using Weir.Core.Time;

namespace Weir.Core.Api.Source;

[Description("Pulls an OCI artifact from a container registry and stores it as a tarball.")]
public sealed record OCIRepository
{
    public const string KindName = "OCIRepository";

    public string? ApiVersion { get; init; } = SourceApi.ApiVersion;

    public string? Kind { get; init; } = KindName;

    public ObjectMeta? Metadata { get; init; }

    public OCIRepositorySpec? Spec { get; init; }

    public OCIRepositoryStatus? Status { get; init; }
}

[Description("What to pull, from where, and how often.")]
public sealed record OCIRepositorySpec
{
    [RequiredField, Pattern("^oci://.*$"), Description("Repository address oci://<host>/<path>, without tag or digest.")]
    public string? Url { get; init; }

    [Description("Which tag, semver range or digest to pull; the latest tag when empty.")]
    public OCIRepositoryRef? Ref { get; init; }

    [Description("Which layer to take from the artifact and what to do with it.")]
    public OCILayerSelector? LayerSelector { get; init; }

    [Enum("generic", "aws", "azure", "gcp"), Default("generic"), Description("Cloud provider used for registry login; generic uses secretRef.")]
    public string? Provider { get; init; }

    [Description("Signature verification; none when empty.")]
    public OCIRepositoryVerification? Verify { get; init; }

    [Description("Secret of type kubernetes.io/dockerconfigjson with registry credentials.")]
    public LocalObjectReference? SecretRef { get; init; }

    [Description("Service account whose image pull secrets are used for login.")]
    public string? ServiceAccountName { get; init; }

    [Description("Secret with TLS client certificate (tls.crt, tls.key) and/or CA (ca.crt).")]
    public LocalObjectReference? CertSecretRef { get; init; }

    [Description("Secret with the proxy address and credentials.")]
    public LocalObjectReference? ProxySecretRef { get; init; }

    [RequiredField, Pattern(FluxDuration.Pattern), Description("How often to check the registry.")]
    public string? Interval { get; init; }

    [Pattern(FluxDuration.TimeoutPattern), Default("60s"), Description("Time limit for registry operations.")]
    public string? Timeout { get; init; }

    [Description("Paths to leave out of the artifact, in .gitignore syntax; replaces the default exclusions.")]
    public string? Ignore { get; init; }

    [Description("Allow plain HTTP registries.")]
    public bool? Insecure { get; init; }

    [Description("Stop reconciling while true.")]
    public bool? Suspend { get; init; }
}

[Description("Selects the artifact version; digest beats semver beats tag.")]
public sealed record OCIRepositoryRef
{
    [Description("Image digest sha256:<hex>.")]
    public string? Digest { get; init; }

    [Description("Semantic version range; the highest matching tag is pulled.")]
    public string? Semver { get; init; }

    [Description("Regular expression filtering tags before semver selection.")]
    public string? SemverFilter { get; init; }

    [Description("Tag to pull.")]
    public string? Tag { get; init; }
}

[Description("Picks a layer by media type and says whether to extract or copy it.")]
public sealed record OCILayerSelector
{
    [Description("Media type of the layer; the first layer when empty.")]
    public string? MediaType { get; init; }

    [Enum("extract", "copy"), Description("extract unpacks the layer tarball; copy stores it as is.")]
    public string? Operation { get; init; }
}

[Description("Observed state of an OCIRepository.")]
public sealed record OCIRepositoryStatus
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

    [Description("Layer selector used for the stored artifact.")]
    public OCILayerSelector? ObservedLayerSelector { get; init; }

    [Description("Last reconcile.fluxcd.io/requestedAt value handled.")]
    public string? LastHandledReconcileAt { get; init; }
}
