using System.Text.Json.Serialization.Metadata;

namespace Weir.Core.Api.Crds;

/// <summary>An extra printer column shown only with <c>kubectl get -o wide</c>.</summary>
public sealed record WideColumn(string Name, string JsonPath);

/// <summary>Everything needed to write the CRD of one kind.</summary>
public sealed record CrdDescriptor(
    string Group,
    string Version,
    string Kind,
    string Plural,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    JsonTypeInfo Spec,
    JsonTypeInfo Status,
    string Description,
    IReadOnlyList<WideColumn> WideColumns)
{
    public string ApiVersion => $"{Group}/{Version}";

    public string Singular => Kind.ToLowerInvariant();

    public string Name => $"{Plural}.{Group}";
}
