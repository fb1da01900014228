using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Core.Tests.Objects;

public class KubeObjectTests
{
    private static JsonObject Deployment() => JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"web","namespace":"apps","generation":4,"uid":"u1","resourceVersion":"17",
           "labels":{"app":"web","n":5},"annotations":{"a":"b"},
           "ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":"u0","controller":true}]}}
        """)!.AsObject();

    [Fact]
    public void ReadsIdentityAndMetadata()
    {
        var d = Deployment();
        Assert.Equal(new GroupVersionKind("apps", "v1", "Deployment"), d.Gvk());
        Assert.Equal(new ObjectKey("apps", "web"), d.Key());
        Assert.Equal(4, d.Generation());
        Assert.Equal("17", d.ResourceVersion());
        Assert.Equal("u1", d.Uid());
        Assert.Equal("web", d.Label("app"));
        Assert.False(d.Labels().ContainsKey("n"));
        Assert.Equal("b", d.Annotation("a"));
        var owner = Assert.Single(d.OwnerReferences());
        Assert.True(owner.Controller);
        Assert.False(owner.BlockOwnerDeletion);
        Assert.Equal("ConfigMap", owner.Kind);
    }

    [Fact]
    public void MissingFieldsReadAsEmpty()
    {
        var empty = new JsonObject();
        Assert.Equal("", empty.Name());
        Assert.Equal(0, empty.Generation());
        Assert.Empty(empty.Labels());
        Assert.Empty(empty.OwnerReferences());
        Assert.Equal(new GroupVersionKind("", "", ""), empty.Gvk());
    }

    [Fact]
    public void SettersCreateMetadata()
    {
        var obj = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap" };
        obj.SetName("cfg");
        obj.SetNamespace("default");
        obj.SetLabel("kustomize.toolkit.fluxcd.io/name", "apps");
        obj.SetAnnotation("x", "y");
        Assert.Equal("default/cfg", obj.Key().ToString());
        Assert.Equal("apps", obj.Label("kustomize.toolkit.fluxcd.io/name"));
        Assert.True(obj.RemoveAnnotation("x"));
        obj.SetNamespace(null);
        Assert.Equal("cfg", obj.Key().ToString());
    }

    [Theory]
    [InlineData("v1", "", "v1")]
    [InlineData("apps/v1", "apps", "v1")]
    [InlineData("source.toolkit.fluxcd.io/v1", "source.toolkit.fluxcd.io", "v1")]
    public void SplitsApiVersions(string apiVersion, string group, string version)
    {
        var gvk = GroupVersionKind.From(apiVersion, "K");
        Assert.Equal((group, version), (gvk.Group, gvk.Version));
        Assert.Equal(apiVersion, gvk.ApiVersion);
    }

    [Fact]
    public void KeysParseAndPrint()
    {
        Assert.Equal(new ObjectKey("flux-system", "apps"), ObjectKey.Parse("flux-system/apps"));
        Assert.Equal(new ObjectKey("", "node"), ObjectKey.Parse("node"));
        Assert.Equal("Deployment.apps", new GroupKind("apps", "Deployment").ToString());
        Assert.Equal("Service", new GroupKind("", "Service").ToString());
    }
}
