using System.Text.Json.Serialization.Metadata;

namespace Weir.Core.Api.Crds;

/// <summary>A printer column of a kind's CRD; a <paramref name="Priority"/> above 0 shows it only with <c>kubectl get -o wide</c>.</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, int Priority = 0, string? Description = null)
{
    private const string ReadyPath = ".status.conditions[?(@.type==\"Ready\")]";

    public static PrinterColumn Ready { get; } = new("Ready", "string", ReadyPath + ".status", Description: "Status of the Ready condition.");

    public static PrinterColumn Status { get; } = new("Status", "string", ReadyPath + ".message", Description: "Message of the Ready condition.");

    public static PrinterColumn Age { get; } = new("Age", "date", ".metadata.creationTimestamp", Description: "Time since creation.");

    /// <summary>A string column of a spec field.</summary>
    public static PrinterColumn Field(string name, string jsonPath, int priority = 0) => new(name, "string", jsonPath, priority);
}

/// <summary>What a kind does in the pipeline; the CLI groups kinds by it (<c>weir get sources all</c>, <c>weir reconcile source …</c>).</summary>
public enum KindRole
{
    /// <summary>Fetches something and stores it as an artifact (<c>status.artifact</c>).</summary>
    Source,

    /// <summary>Applies a source's artifact to a cluster (<c>status.lastAppliedRevision</c>).</summary>
    Applier,

    /// <summary>Produces artifacts for other sources (ArtifactGenerator writes ExternalArtifacts); no artifact of its own.</summary>
    Generator,

    /// <summary>Sends or receives notifications.</summary>
    Notification,
}

/// <summary>
/// How the flux CLI names and orders a kind: the noun of its sub-commands (<c>oci</c> in <c>flux get sources oci</c>,
/// <c>kustomization</c> in <c>flux reconcile kustomization</c>), and its place in <c>flux get all</c> and <c>flux stats</c>
/// (flux prints both in a fixed order of its own). A kind without one has no per-kind verbs in Weir's CLI and is not
/// in those tables (ExternalArtifact, ArtifactGenerator and the notification kinds, as in <c>flux stats</c>).
/// </summary>
public sealed record CliNaming(string Noun, int GetAllOrder, int StatsOrder);

/// <summary>
/// Everything about one kind Weir serves: its CRD, its typed record, its role and its CLI names. One entry per kind.
/// A kind without <see cref="Status"/> is static, as Flux's Alert and Provider are: no status subresource and no
/// Ready columns.
/// </summary>
public sealed record CrdDescriptor(
    string Group,
    string Version,
    string Kind,
    string Plural,
    IReadOnlyList<string> ShortNames,
    KindRole Role,
    JsonTypeInfo Object,
    JsonTypeInfo Spec,
    JsonTypeInfo? Status,
    string Description,
    IReadOnlyList<PrinterColumn> Columns,
    CliNaming? Cli)
{
    /// <summary>Whether a new object's status starts as <c>{"observedGeneration": -1}</c> (Flux's kinds but ExternalArtifact).</summary>
    public bool DefaultStatus { get; init; } = true;

    public string ApiVersion => $"{Group}/{Version}";

    public string Singular => Kind.ToLowerInvariant();

    public string Name => $"{Plural}.{Group}";

    /// <summary>The CRD's <c>categories</c>, as Flux's own CRDs list them.</summary>
    public IReadOnlyList<string> Categories => Role switch
    {
        KindRole.Source or KindRole.Generator => ["all", "fluxcd", "fluxcd-sources"],
        KindRole.Applier => ["all", "fluxcd", "fluxcd-appliers"],
        KindRole.Notification => ["all", "fluxcd", "fluxcd-notifications"],
        _ => ["all", "fluxcd"],
    };
}
