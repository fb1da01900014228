namespace Weir.Core.Objects;

/// <summary>A Kubernetes group/version/kind. The core group is the empty string.</summary>
public readonly record struct GroupVersionKind(string Group, string Version, string Kind)
{
    /// <summary>Splits an apiVersion (<c>apps/v1</c>, <c>v1</c>) and a kind.</summary>
    public static GroupVersionKind From(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        return slash < 0
            ? new GroupVersionKind("", apiVersion, kind)
            : new GroupVersionKind(apiVersion[..slash], apiVersion[(slash + 1)..], kind);
    }

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public GroupKind GroupKind => new(Group, Kind);

    public override string ToString() => $"{ApiVersion}, Kind={Kind}";
}

/// <summary>A group and kind, without version (how inventories and RBAC name types).</summary>
public readonly record struct GroupKind(string Group, string Kind)
{
    public override string ToString() => Group.Length == 0 ? Kind : $"{Kind}.{Group}";
}
