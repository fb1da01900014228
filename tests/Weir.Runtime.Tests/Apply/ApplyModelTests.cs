using System.Text.Json.Nodes;
using Weir.Runtime.Apply;

namespace Weir.Runtime.Tests.Apply;

public sealed class ApplyModelTests
{
    private static JsonObject Obj(string apiVersion, string kind, string name, string ns = "") => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["metadata"] = ns.Length == 0 ? new JsonObject { ["name"] = name } : new JsonObject { ["name"] = name, ["namespace"] = ns },
    };

    [Fact]
    public void InventoryIdsFollowFluxsFormat()
    {
        var deployment = ObjectRef.Of(Obj("apps/v1", "Deployment", "podinfo", "default"));
        Assert.Equal("default_podinfo_apps_Deployment", deployment.Id);
        Assert.Equal("v1", deployment.Version);
        Assert.Equal("Deployment/default/podinfo", deployment.Subject);
        var service = ObjectRef.Of(Obj("v1", "Service", "podinfo", "default"));
        Assert.Equal("default_podinfo__Service", service.Id);
        var ns = ObjectRef.Of(Obj("v1", "Namespace", "apps"));
        Assert.Equal("_apps__Namespace", ns.Id);
        Assert.Equal("Namespace/apps", ns.Subject);
    }

    [Theory]
    [InlineData("default_podinfo_apps_Deployment", "default", "podinfo", "apps", "Deployment")]
    [InlineData("default_my_app__Service", "default", "my_app", "", "Service")]
    [InlineData("_apps__Namespace", "", "apps", "", "Namespace")]
    [InlineData("_widgets.example.com_apiextensions.k8s.io_CustomResourceDefinition", "", "widgets.example.com", "apiextensions.k8s.io", "CustomResourceDefinition")]
    public void InventoryIdsParseBack(string id, string ns, string name, string group, string kind)
    {
        var parsed = ObjectRef.FromInventory(id, "v1");
        Assert.Equal(new ObjectRef(ns, name, group, kind, "v1"), parsed);
        Assert.Equal(id, parsed.Id);
    }

    [Fact]
    public void StaleObjectsAreThoseTheNewInventoryLacks()
    {
        var old = new Inventory([ObjectRef.FromInventory("a_x__ConfigMap", "v1"), ObjectRef.FromInventory("a_y__ConfigMap", "v1"), ObjectRef.FromInventory("a_d_apps_Deployment", "v1")]);
        var newer = new Inventory([ObjectRef.FromInventory("a_x__ConfigMap", "v1"), ObjectRef.FromInventory("a_d_apps_Deployment", "v2")]);
        Assert.Equal(["a_y__ConfigMap"], old.StaleAgainst(newer).Select(o => o.Id));
        var json = newer.ToJson();
        Assert.Equal("""{"entries":[{"id":"a_x__ConfigMap","v":"v1"},{"id":"a_d_apps_Deployment","v":"v2"}]}""", json.ToJsonString());
        var read = Inventory.Read(new JsonObject { ["status"] = new JsonObject { ["inventory"] = json } });
        Assert.Equal(newer.Entries, read!.Entries);
    }

    [Fact]
    public void StagesPutClusterDefinitionsFirstThenClassesThenTheRestInReconcileOrder()
    {
        var objects = new[]
        {
            Obj("apps/v1", "Deployment", "web", "apps"),
            Obj("v1", "Service", "web", "apps"),
            Obj("example.com/v1", "Widget", "w", "apps"),
            Obj("networking.k8s.io/v1", "IngressClass", "nginx"),
            Obj("rbac.authorization.k8s.io/v1", "ClusterRole", "reader"),
            Obj("v1", "Namespace", "apps"),
            Obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com"),
            Obj("v1", "ConfigMap", "b", "apps"),
            Obj("v1", "ConfigMap", "a", "apps"),
        };
        var stages = ApplyOrder.Stages(objects).Select(s => s.Select(o => ObjectRef.Of(o).Subject).ToList()).ToList();
        Assert.Equal(["CustomResourceDefinition/widgets.example.com", "Namespace/apps", "ClusterRole/reader"], stages[0]);
        Assert.Equal(["IngressClass/nginx"], stages[1]);
        Assert.Equal(["ConfigMap/apps/a", "ConfigMap/apps/b", "Service/apps/web", "Deployment/apps/web", "Widget/apps/w"], stages[2]);
    }

    [Fact]
    public void ChangeSetReportsOnlyChangedObjects()
    {
        var set = new ChangeSet();
        set.Add(new(ObjectRef.FromInventory("apps_web_apps_Deployment", "v1"), ChangeAction.Configured));
        set.Add(new(ObjectRef.FromInventory("apps_web__Service", "v1"), ChangeAction.Unchanged));
        set.Add(new(ObjectRef.FromInventory("_apps__Namespace", "v1"), ChangeAction.Created));
        Assert.Equal("Deployment/apps/web configured\nNamespace/apps created", set.ChangedLines());
        Assert.Equal("Deployment/apps/web configured\nService/apps/web unchanged\nNamespace/apps created", set.ToString());
    }

    [Fact]
    public void DriftIgnoresMetadataBookkeepingAndStatus()
    {
        var existing = (JsonObject)JsonNode.Parse("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"5","labels":{"x":"1"},"managedFields":[]},"data":{"k":"v"},"status":{"s":1}}
            """)!;
        var same = (JsonObject)existing.DeepClone();
        same["metadata"]!["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "kustomize-controller" });
        same.Remove("status");
        Assert.False(ServerSideApplier.HasDrifted(existing, same));

        var relabelled = (JsonObject)same.DeepClone();
        relabelled["metadata"]!["labels"]!["x"] = "2";
        Assert.True(ServerSideApplier.HasDrifted(existing, relabelled));

        var changed = (JsonObject)same.DeepClone();
        changed["data"]!["k"] = "w";
        Assert.True(ServerSideApplier.HasDrifted(existing, changed));

        var created = (JsonObject)same.DeepClone();
        created["metadata"]!.AsObject().Remove("resourceVersion");
        Assert.True(ServerSideApplier.HasDrifted(existing, created));
        Assert.True(ServerSideApplier.HasDrifted(null, same));
    }

    [Fact]
    public void SelectorsMatchLabelsOrAnnotations()
    {
        var obj = Obj("v1", "ConfigMap", "a", "ns");
        obj["metadata"]!["annotations"] = new JsonObject { ["kustomize.toolkit.fluxcd.io/prune"] = "Disabled" };
        Assert.True(ServerSideApplier.AnyInMetadata(obj, new Dictionary<string, string> { ["kustomize.toolkit.fluxcd.io/prune"] = "disabled" }));
        Assert.False(ServerSideApplier.AnyInMetadata(obj, new Dictionary<string, string> { ["kustomize.toolkit.fluxcd.io/ssa"] = "Ignore" }));
    }
}
