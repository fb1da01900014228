using System.ComponentModel;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Schema;
using Weir.Core.Conditions;
using Weir.Core.Time;

namespace Weir.Core.Api.Source;

[Description("A Helm chart repository: an HTTP index that is fetched and stored, or an OCI registry used as is.")]
public sealed record HelmRepository
{
    public const string KindName = "HelmRepository";

    public string? ApiVersion { get; init; } = SourceApi.ApiVersion;

    public string? Kind { get; init; } = KindName;

    public ObjectMeta? Metadata { get; init; }

    public HelmRepositorySpec? Spec { get; init; }

    public HelmRepositoryStatus? Status { get; init; }
}

[Description("Where the repository is and how to reach it.")]
public sealed record HelmRepositorySpec
{
    [RequiredField, Pattern("^(http|https|oci)://.*$"), Description("Repository address (http, https or oci).")]
    public string? Url { get; init; }

    [Description("Secret with username/password or TLS keys.")]
    public LocalObjectReference? SecretRef { get; init; }

    [Description("Secret with TLS client certificate and/or CA.")]
    public LocalObjectReference? CertSecretRef { get; init; }

    [Description("Send credentials also to hosts other than the repository's.")]
    public bool? PassCredentials { get; init; }

    [Pattern(FluxDuration.Pattern), Description("How often to fetch the index; not used for type oci.")]
    public string? Interval { get; init; }

    [Description("Allow plain HTTP (type oci only).")]
    public bool? Insecure { get; init; }

    [Pattern(FluxDuration.TimeoutPattern), Description("Time limit for fetching the index; 60s when empty.")]
    public string? Timeout { get; init; }

    [Description("Stop reconciling while true.")]
    public bool? Suspend { get; init; }

    [Description("Namespaces allowed to use this repository (not enforced).")]
    public AccessFrom? AccessFrom { get; init; }

    [Enum("default", "oci"), Description("default for an HTTP index, oci for an OCI registry.")]
    public string? Type { get; init; }

    [Enum("generic", "aws", "azure", "gcp"), Default("generic"), Description("Cloud provider used for registry login (type oci).")]
    public string? Provider { get; init; }
}

[Description("Namespaces allowed to reference an object.")]
public sealed record AccessFrom
{
    [RequiredField, Description("Namespace label selectors; a namespace matching any one is allowed.")]
    public IReadOnlyList<NamespaceSelector>? NamespaceSelectors { get; init; }
}

[Description("Selects namespaces by labels.")]
public sealed record NamespaceSelector
{
    [Description("Labels the namespace must carry.")]
    public IReadOnlyDictionary<string, string>? MatchLabels { get; init; }
}

[Description("Observed state of a HelmRepository.")]
public sealed record HelmRepositoryStatus
{
    [Description("Generation last reconciled.")]
    public long? ObservedGeneration { get; init; }

    [Description("Ready, Reconciling, Stalled and source-specific conditions.")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("Address of the stored index.")]
    public string? Url { get; init; }

    [Description("The stored index.")]
    public Artifact? Artifact { get; init; }

    [Description("Last reconcile.fluxcd.io/requestedAt value handled.")]
    public string? LastHandledReconcileAt { get; init; }
}
