using System.Text.Json.Serialization.Metadata;

namespace Weir.Core.Api.Crds;

/// <summary>An extra printer column shown only with <c>kubectl get -o wide</c>.</summary>
public sealed record WideColumn(string Name, string JsonPath);

/// <summary>
/// Everything needed to write the CRD of one kind. A kind without <see cref="Status"/> is static, as Flux's
/// Alert and Provider are: no status subresource and no Ready columns.
/// </summary>
public sealed record CrdDescriptor(
    string Group,
    string Version,
    string Kind,
    string Plural,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    JsonTypeInfo Spec,
    JsonTypeInfo? Status,
    string Description,
    IReadOnlyList<WideColumn> WideColumns)
{
    /// <summary>Whether a new object's status starts as <c>{"observedGeneration": -1}</c> (Flux's kinds but ExternalArtifact).</summary>
    public bool DefaultStatus { get; init; } = true;

    public string ApiVersion => $"{Group}/{Version}";

    public string Singular => Kind.ToLowerInvariant();

    public string Name => $"{Plural}.{Group}";
}
