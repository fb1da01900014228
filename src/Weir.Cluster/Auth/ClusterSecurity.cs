using Microsoft.AspNetCore.Http;
using Weir.Cluster.Api;

namespace Weir.Cluster.Auth;

/// <summary>
/// Authentication (static and ServiceAccount bearer tokens), impersonation and RBAC authorization for every request.
/// </summary>
public sealed class ClusterSecurity(string dataDir, GenericRegistry registry)
{
    private const string UserKey = "weir.user";
    private readonly StaticTokens _static = new(dataDir);
    private readonly ResourceType _serviceAccounts = registry.Catalog.Find("", "v1", "serviceaccounts")!;

    public RbacAuthorizer Rbac { get; } = new(registry);

    public ServiceAccountTokens ServiceAccountTokens { get; } = new(dataDir);

    /// <summary>The user a request acts as, set by <see cref="Admit"/>.</summary>
    public static UserInfo UserOf(HttpContext ctx) => (UserInfo)ctx.Items[UserKey]!;

    /// <summary>Authenticates and authorizes a request; throws the 401/403 Status Kubernetes would answer.</summary>
    public void Admit(HttpContext ctx, string[] segments)
    {
        var user = Authenticate(ctx.Request.Headers.Authorization.ToString());
        if (user is null)
        {
            if (ctx.Request.Headers.Authorization.Count == 0 && RequestAttributes.IsPublic(segments))
            {
                ctx.Items[UserKey] = new UserInfo("system:anonymous", ["system:unauthenticated"]);
                return;
            }
            throw new ApiException(401, "Unauthorized", "Unauthorized");
        }
        user = Impersonate(ctx, user);
        ctx.Items[UserKey] = user;
        if (RequestAttributes.IsDiscovery(segments) || IsSelfReview(ctx.Request.Method, segments))
        {
            return;
        }
        var watch = ctx.Request.Query["watch"] is var w && (w == "true" || w == "1");
        var attributes = RequestAttributes.From(ctx.Request.Method, segments, watch);
        if (!Rbac.Allows(user, attributes))
        {
            throw attributes.Forbidden(user.Name);
        }
    }

    private static bool IsSelfReview(string method, string[] segments) =>
        method == "POST" && segments is ["apis", "authorization.k8s.io", "v1", "selfsubjectaccessreviews" or "selfsubjectrulesreviews"]
            or ["apis", "authentication.k8s.io", "v1" or "v1beta1", "selfsubjectreviews"];

    private UserInfo? Authenticate(string header)
    {
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = header["Bearer ".Length..].Trim();
        if (token == "")
        {
            return null;
        }
        if (_static.Authenticate(token) is { } user)
        {
            return user;
        }
        if (ServiceAccountTokens.Verify(token) is { } sa
            && registry.TryGet(_serviceAccounts, sa.Namespace, sa.Name) is { } account
            && account["metadata"]?["uid"]?.GetValue<string>() == sa.Uid)
        {
            return UserInfo.ServiceAccount(sa.Namespace, sa.Name);
        }
        return null;
    }

    private UserInfo Impersonate(HttpContext ctx, UserInfo actual)
    {
        var headers = ctx.Request.Headers;
        var asUser = headers["Impersonate-User"].ToString();
        var asGroups = headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        if (asUser == "")
        {
            if (asGroups.Count > 0)
            {
                throw ApiException.BadRequest($"requested {string.Join(",", asGroups)} without impersonating a user");
            }
            return actual;
        }
        var sa = UserInfo.ServiceAccountOf(asUser);
        var target = sa is { } s
            ? new AccessAttributes("impersonate", "", "serviceaccounts", "", s.Namespace, s.Name)
            : new AccessAttributes("impersonate", "", "users", "", "", asUser);
        if (!Rbac.Allows(actual, target))
        {
            throw target.Forbidden(actual.Name);
        }
        foreach (var group in asGroups)
        {
            var g = new AccessAttributes("impersonate", "", "groups", "", "", group);
            if (!Rbac.Allows(actual, g))
            {
                throw g.Forbidden(actual.Name);
            }
        }
        var groups = new List<string>(asGroups);
        if (sa is { } account)
        {
            groups.AddRange(UserInfo.ServiceAccount(account.Namespace, account.Name).Groups.Where(g => !groups.Contains(g)));
        }
        if (!groups.Contains(UserInfo.Authenticated))
        {
            groups.Add(UserInfo.Authenticated);
        }
        return new UserInfo(asUser, groups);
    }
}
