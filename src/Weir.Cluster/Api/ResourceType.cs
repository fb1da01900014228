namespace Weir.Cluster.Api;

/// <summary>One served resource: its names, scope, subresources and the strategy that gives it kind-specific behaviour.</summary>
public sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    ResourceStrategy Strategy)
{
    public string GroupVersion => Group == "" ? Version : $"{Group}/{Version}";

    /// <summary>"deployments.apps", or just "configmaps" in the core group; the form error messages use.</summary>
    public string QualifiedPlural => Group == "" ? Plural : $"{Plural}.{Group}";

    public bool HasStatus => Strategy.HasStatusSubresource;

    public bool HasScale => Strategy.HasScaleSubresource;

    /// <summary>Objects are stored per group and resource, whatever version they were written in.</summary>
    public string StorageResource => Plural;

    public string ListKind => Kind + "List";

    /// <summary>True when the resource comes from a CustomResourceDefinition.</summary>
    public bool IsCustom => Strategy is CustomResourceStrategy;
}
