using Weir.Cluster.Http;

namespace Weir.Cluster.Auth;

/// <summary>Reads a request's RBAC attributes from its method and URL, as Kubernetes' request-info parser does.</summary>
internal static class RequestAttributes
{
    private static readonly HashSet<string> PublicRoots = ["version", "healthz", "livez", "readyz"];

    /// <summary>Paths any authenticated user may read: discovery, OpenAPI, version and health.</summary>
    public static bool IsDiscovery(string[] segments) => segments switch
    {
        [] => true,
        [var root, ..] when PublicRoots.Contains(root) || root == "openapi" => true,
        ["api"] or ["api", _] or ["apis"] or ["apis", _] or ["apis", _, _] => true,
        _ => false,
    };

    /// <summary>Paths anyone may read without credentials (Kubernetes' public-info-viewer).</summary>
    public static bool IsPublic(string[] segments) => segments is [var root] && PublicRoots.Contains(root);

    public static AccessAttributes From(string method, string[] segments, bool watch)
    {
        ApiRequest? req = segments switch
        {
            ["api", var v, .. var rest] when rest.Length > 0 => ApiRequest.Parse("", v, rest),
            ["apis", var g, var v, .. var rest] when rest.Length > 0 => ApiRequest.Parse(g, v, rest),
            _ => null,
        };
        if (req is null)
        {
            return AccessAttributes.NonResource(method.ToLowerInvariant(), "/" + string.Join('/', segments));
        }
        var verb = method switch
        {
            "GET" or "HEAD" => watch ? "watch" : req.Name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => req.Name is null ? "deletecollection" : "delete",
            _ => method.ToLowerInvariant(),
        };
        // A Namespace object is its own namespace, so a RoleBinding in "demo" can grant access to namespace "demo".
        var ns = req.Namespace ?? (req.Resource == "namespaces" && req.Name is not null ? req.Name : "");
        return new AccessAttributes(verb, req.Group, req.Resource, req.Subresource ?? "", ns, req.Name ?? "");
    }
}
