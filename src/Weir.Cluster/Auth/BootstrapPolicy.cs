using System.Text.Json.Nodes;
using Weir.Cluster.Api;

namespace Weir.Cluster.Auth;

/// <summary>
/// The default ClusterRoles a cluster starts with (<c>cluster-admin</c>, <c>admin</c>, <c>edit</c>, <c>view</c>) and the
/// binding of <c>cluster-admin</c> to <c>system:masters</c>. Created when missing, never overwritten. The Flux groups are
/// in <c>view</c>/<c>edit</c>/<c>admin</c>, as Flux's aggregation labels put them there on a real cluster.
/// </summary>
internal static class BootstrapPolicy
{
    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["create", "delete", "deletecollection", "patch", "update"];
    private static readonly string[] FluxGroups =
        ["source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io", "notification.toolkit.fluxcd.io", "image.toolkit.fluxcd.io"];

    // Readable by view (secrets are deliberately absent: reading them would expose ServiceAccount credentials).
    private static readonly (string Group, string[] Resources)[] Viewable =
    [
        ("", ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "pods/log", "pods/status",
            "replicationcontrollers", "replicationcontrollers/scale", "replicationcontrollers/status", "serviceaccounts", "services",
            "services/status", "bindings", "events", "limitranges", "resourcequotas", "resourcequotas/status", "namespaces", "namespaces/status"]),
        ("apps", ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
            "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"]),
        ("autoscaling", ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
        ("batch", ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
        ("policy", ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
        ("networking.k8s.io", ["ingresses", "ingresses/status", "networkpolicies"]),
        ("discovery.k8s.io", ["endpointslices"]),
        ("events.k8s.io", ["events"]),
    ];

    // Writable by edit (and admin).
    private static readonly (string Group, string[] Resources)[] Editable =
    [
        ("", ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "configmaps", "endpoints", "persistentvolumeclaims",
            "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"]),
        ("apps", ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"]),
        ("autoscaling", ["horizontalpodautoscalers"]),
        ("batch", ["cronjobs", "jobs"]),
        ("policy", ["poddisruptionbudgets"]),
        ("networking.k8s.io", ["ingresses", "networkpolicies"]),
        ("discovery.k8s.io", ["endpointslices"]),
    ];

    public static void Apply(GenericRegistry registry)
    {
        var clusterRoles = registry.Catalog.Find("rbac.authorization.k8s.io", "v1", "clusterroles")!;
        var bindings = registry.Catalog.Find("rbac.authorization.k8s.io", "v1", "clusterrolebindings")!;
        foreach (var (name, rules) in Roles())
        {
            CreateMissing(registry, clusterRoles, name, new JsonObject { ["rules"] = rules });
        }
        CreateMissing(registry, bindings, "cluster-admin", new JsonObject
        {
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "cluster-admin" },
            ["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Group", ["name"] = UserInfo.Masters }),
        });
    }

    private static void CreateMissing(GenericRegistry registry, ResourceType type, string name, JsonObject body)
    {
        if (registry.TryGet(type, null, name) is not null)
        {
            return;
        }
        body["apiVersion"] = type.GroupVersion;
        body["kind"] = type.Kind;
        body["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
            ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
        };
        registry.Create(type, null, body, new WriteOptions { FieldManager = "weir-cluster" });
    }

    private static IEnumerable<(string Name, JsonArray Rules)> Roles()
    {
        yield return ("cluster-admin", new JsonArray(Rule(["*"], ["*"], ["*"]), NonResource(["*"], ["*"])));
        yield return ("view", View());
        yield return ("edit", Edit());
        var admin = Edit();
        admin.Add(Rule([.. Read, .. Write], ["rbac.authorization.k8s.io"], ["roles", "rolebindings"]));
        admin.Add(Rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]));
        yield return ("admin", admin);
    }

    private static JsonArray View()
    {
        var rules = new JsonArray();
        foreach (var (group, resources) in Viewable)
        {
            rules.Add(Rule(Read, [group], resources));
        }
        rules.Add(Rule(Read, FluxGroups, ["*"]));
        return rules;
    }

    private static JsonArray Edit()
    {
        var rules = View();
        foreach (var (group, resources) in Editable)
        {
            rules.Add(Rule(Write, [group], resources));
        }
        rules.Add(Rule(Read, [""], ["secrets"]));
        rules.Add(Rule(["create"], [""], ["serviceaccounts/token"]));
        rules.Add(Rule(["impersonate"], [""], ["serviceaccounts"]));
        rules.Add(Rule(Write, FluxGroups, ["*"]));
        return rules;
    }

    private static JsonObject Rule(string[] verbs, string[] groups, string[] resources) => new()
    {
        ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
        ["apiGroups"] = new JsonArray([.. groups.Select(g => (JsonNode)g)]),
        ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode)r)]),
    };

    private static JsonObject NonResource(string[] verbs, string[] urls) => new()
    {
        ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
        ["nonResourceURLs"] = new JsonArray([.. urls.Select(u => (JsonNode)u)]),
    };
}
