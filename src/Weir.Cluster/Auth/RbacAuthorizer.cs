using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Cluster.Selectors;

namespace Weir.Cluster.Auth;

/// <summary>
/// RBAC over the stored Roles, ClusterRoles, RoleBindings and ClusterRoleBindings: a request is allowed when any rule
/// bound to the user (directly, through a group, or as a ServiceAccount) covers it. <c>system:masters</c> bypasses.
/// </summary>
public sealed class RbacAuthorizer(GenericRegistry registry)
{
    private readonly ResourceType _roles = registry.Catalog.Find("rbac.authorization.k8s.io", "v1", "roles")!;
    private readonly ResourceType _clusterRoles = registry.Catalog.Find("rbac.authorization.k8s.io", "v1", "clusterroles")!;
    private readonly ResourceType _roleBindings = registry.Catalog.Find("rbac.authorization.k8s.io", "v1", "rolebindings")!;
    private readonly ResourceType _clusterRoleBindings = registry.Catalog.Find("rbac.authorization.k8s.io", "v1", "clusterrolebindings")!;

    public bool Allows(UserInfo user, AccessAttributes a) =>
        user.IsMaster || RulesFor(user, a.Namespace).Any(r => Covers(r, a));

    /// <summary>Every rule that applies to the user in a namespace ("" = cluster-wide rules only).</summary>
    public IEnumerable<JsonObject> RulesFor(UserInfo user, string ns)
    {
        foreach (var binding in List(_clusterRoleBindings, null))
        {
            if (Binds(binding, user, null))
            {
                foreach (var rule in RoleRules(binding, null))
                {
                    yield return rule;
                }
            }
        }
        if (ns == "")
        {
            yield break;
        }
        foreach (var binding in List(_roleBindings, ns))
        {
            if (Binds(binding, user, ns))
            {
                foreach (var rule in RoleRules(binding, ns))
                {
                    yield return rule;
                }
            }
        }
    }

    private IEnumerable<JsonObject> List(ResourceType type, string? ns) =>
        registry.List(type, ns, LabelSelector.Parse(null), FieldSelector.Parse(null, type), 0, null).Items;

    private static bool Binds(JsonObject binding, UserInfo user, string? bindingNamespace)
    {
        foreach (var s in binding["subjects"] as JsonArray ?? [])
        {
            var kind = s?["kind"]?.GetValue<string>();
            var name = s?["name"]?.GetValue<string>();
            var matches = kind switch
            {
                "User" => name == user.Name,
                "Group" => name is not null && user.Groups.Contains(name),
                "ServiceAccount" => user.Name == $"system:serviceaccount:{s?["namespace"]?.GetValue<string>() ?? bindingNamespace}:{name}",
                _ => false,
            };
            if (matches)
            {
                return true;
            }
        }
        return false;
    }

    private IEnumerable<JsonObject> RoleRules(JsonObject binding, string? ns)
    {
        var kind = binding["roleRef"]?["kind"]?.GetValue<string>();
        var name = binding["roleRef"]?["name"]?.GetValue<string>();
        if (name is null)
        {
            return [];
        }
        var role = kind switch
        {
            "ClusterRole" => registry.TryGet(_clusterRoles, null, name),
            "Role" when ns is not null => registry.TryGet(_roles, ns, name),
            _ => null,
        };
        return (role?["rules"] as JsonArray ?? []).OfType<JsonObject>();
    }

    public static bool Covers(JsonObject rule, AccessAttributes a)
    {
        if (!Has(rule["verbs"], a.Verb))
        {
            return false;
        }
        if (!a.IsResourceRequest)
        {
            return (rule["nonResourceURLs"] as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "")
                .Any(u => u == "*" || u == a.Path || (u.EndsWith('*') && a.Path!.StartsWith(u[..^1], StringComparison.Ordinal)));
        }
        if (!Has(rule["apiGroups"], a.Group))
        {
            return false;
        }
        var combined = a.Subresource == "" ? a.Resource : $"{a.Resource}/{a.Subresource}";
        var resources = (rule["resources"] as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "").ToList();
        if (!resources.Any(r => r == "*" || r == combined || (a.Subresource != "" && r == "*/" + a.Subresource)))
        {
            return false;
        }
        var names = rule["resourceNames"] as JsonArray;
        return names is null || names.Count == 0 || (a.Name != "" && names.Any(n => n?.GetValue<string>() == a.Name));
    }

    private static bool Has(JsonNode? list, string value) =>
        (list as JsonArray ?? []).Any(n => n?.GetValue<string>() is { } s && (s == "*" || s == value));
}
