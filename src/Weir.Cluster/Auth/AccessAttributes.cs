using System.Text.Json.Nodes;
using Weir.Cluster.Api;

namespace Weir.Cluster.Auth;

/// <summary>What a request asks to do, in the terms RBAC rules speak: a verb on a resource or on a non-resource path.</summary>
public sealed record AccessAttributes(string Verb, string Group, string Resource, string Subresource, string Namespace, string Name, string? Path = null)
{
    public bool IsResourceRequest => Path is null;

    public static AccessAttributes NonResource(string verb, string path) => new(verb, "", "", "", "", "", path);

    /// <summary>The 403 Kubernetes answers when this request is denied to <paramref name="user"/>.</summary>
    public ApiException Forbidden(string user)
    {
        if (!IsResourceRequest)
        {
            return ApiException.Forbidden($"forbidden: User \"{user}\" cannot {Verb} path \"{Path}\"", new JsonObject());
        }
        var resource = Subresource == "" ? Resource : $"{Resource}/{Subresource}";
        var scope = Namespace == "" ? "at the cluster scope" : $"in the namespace \"{Namespace}\"";
        var reason = $"User \"{user}\" cannot {Verb} resource \"{resource}\" in API group \"{Group}\" {scope}";
        var qualified = Group == "" ? Resource : $"{Resource}.{Group}";
        var subject = Name == "" ? qualified : $"{qualified} \"{Name}\"";
        var details = new JsonObject();
        if (Name != "")
        {
            details["name"] = Name;
        }
        if (Group != "")
        {
            details["group"] = Group;
        }
        details["kind"] = Resource;
        return ApiException.Forbidden($"{subject} is forbidden: {reason}", details);
    }
}
