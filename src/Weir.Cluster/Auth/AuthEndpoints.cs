using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Weir.Cluster.Api;

namespace Weir.Cluster.Auth;

/// <summary>
/// The virtual (never stored) authorization and authentication resources: SelfSubjectAccessReview
/// (<c>kubectl auth can-i</c>), SelfSubjectRulesReview (<c>can-i --list</c>), SubjectAccessReview, SelfSubjectReview
/// (<c>kubectl auth whoami</c>), and the
/// ServiceAccount TokenRequest subresource (<c>kubectl create token</c>).
/// </summary>
public sealed class AuthEndpoints(ClusterSecurity security, GenericRegistry registry)
{
    private const string AuthzGroup = "authorization.k8s.io";

    /// <summary>The kind of body a request to one of these endpoints carries, or null when the path is not one.</summary>
    public static string? BodyKind(string method, string[] segments) => (method, segments) switch
    {
        ("POST", ["apis", AuthzGroup, "v1", "selfsubjectaccessreviews"]) => "SelfSubjectAccessReview",
        ("POST", ["apis", AuthzGroup, "v1", "selfsubjectrulesreviews"]) => "SelfSubjectRulesReview",
        ("POST", ["apis", AuthzGroup, "v1", "subjectaccessreviews"]) => "SubjectAccessReview",
        ("POST", ["api", "v1", "namespaces", _, "serviceaccounts", _, "token"]) => "TokenRequest",
        ("POST", ["apis", "authentication.k8s.io", "v1" or "v1beta1", "selfsubjectreviews"]) => "SelfSubjectReview",
        _ => null,
    };

    public JsonObject Handle(HttpContext ctx, string[] segments, JsonObject body)
    {
        var user = ClusterSecurity.UserOf(ctx);
        var spec = body["spec"] as JsonObject ?? [];
        return BodyKind("POST", segments) switch
        {
            "SelfSubjectAccessReview" => Review(body, spec, user),
            "SubjectAccessReview" => Review(body, spec, new UserInfo(spec["user"]?.GetValue<string>() ?? "",
                [.. (spec["groups"] as JsonArray ?? []).Select(g => g!.GetValue<string>())])),
            "SelfSubjectRulesReview" => Rules(body, spec, user),
            "SelfSubjectReview" => WhoAmI(segments[2], user),
            _ => Token(segments[3], segments[5], body, spec),
        };
    }

    private JsonObject Review(JsonObject body, JsonObject spec, UserInfo user)
    {
        AccessAttributes attributes;
        if (spec["resourceAttributes"] is JsonObject r)
        {
            attributes = new AccessAttributes(S(r, "verb"), S(r, "group"), S(r, "resource"), S(r, "subresource"), S(r, "namespace"), S(r, "name"));
        }
        else if (spec["nonResourceAttributes"] is JsonObject n)
        {
            attributes = AccessAttributes.NonResource(S(n, "verb"), S(n, "path"));
        }
        else
        {
            throw ApiException.BadRequest("spec.resourceAttributes or spec.nonResourceAttributes is required");
        }
        var allowed = security.Rbac.Allows(user, attributes);
        var status = new JsonObject { ["allowed"] = allowed };
        if (allowed)
        {
            status["reason"] = user.IsMaster ? "" : "RBAC: allowed by a role binding";
        }
        return Answer(body, spec, status);
    }

    private JsonObject Rules(JsonObject body, JsonObject spec, UserInfo user)
    {
        var ns = S(spec, "namespace");
        var resourceRules = new JsonArray
        {
            new JsonObject { ["verbs"] = new JsonArray("create"), ["apiGroups"] = new JsonArray(AuthzGroup), ["resources"] = new JsonArray("selfsubjectaccessreviews", "selfsubjectrulesreviews") },
        };
        var nonResourceRules = new JsonArray
        {
            new JsonObject { ["verbs"] = new JsonArray("get"), ["nonResourceURLs"] = new JsonArray("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/") },
        };
        foreach (var rule in security.Rbac.RulesFor(user, ns))
        {
            var copy = (JsonObject)rule.DeepClone();
            (copy.ContainsKey("nonResourceURLs") ? nonResourceRules : resourceRules).Add(copy);
        }
        return Answer(body, spec, new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = false });
    }

    private JsonObject Token(string ns, string name, JsonObject body, JsonObject spec)
    {
        var accounts = registry.Catalog.Find("", "v1", "serviceaccounts")!;
        var account = registry.Get(accounts, ns, name);
        var seconds = spec["expirationSeconds"] is JsonValue v && v.TryGetValue<long>(out var s) && s > 0 ? s : 3600;
        var expires = DateTimeOffset.UtcNow.AddSeconds(seconds);
        var token = security.ServiceAccountTokens.Mint(ns, name, account["metadata"]!["uid"]!.GetValue<string>(), expires);
        var outSpec = (JsonObject)spec.DeepClone();
        outSpec["expirationSeconds"] = seconds;
        outSpec["audiences"] ??= new JsonArray("https://kubernetes.default.svc");
        return new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = GenericRegistry.Now() },
            ["spec"] = outSpec,
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = expires.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            },
        };
    }

    /// <summary><c>kubectl auth whoami</c>.</summary>
    private static JsonObject WhoAmI(string version, UserInfo user) => new()
    {
        ["kind"] = "SelfSubjectReview",
        ["apiVersion"] = $"authentication.k8s.io/{version}",
        ["metadata"] = new JsonObject { ["creationTimestamp"] = GenericRegistry.Now() },
        ["status"] = new JsonObject
        {
            ["userInfo"] = new JsonObject { ["username"] = user.Name, ["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)g)]) },
        },
    };

    private static JsonObject Answer(JsonObject body, JsonObject spec, JsonObject status) => new()
    {
        ["kind"] = body["kind"]?.GetValue<string>() ?? "SelfSubjectAccessReview",
        ["apiVersion"] = $"{AuthzGroup}/v1",
        ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
        ["spec"] = spec.DeepClone(),
        ["status"] = status,
    };

    private static string S(JsonObject o, string key) => o[key]?.GetValue<string>() ?? "";
}
