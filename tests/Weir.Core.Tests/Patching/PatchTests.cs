using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.Patching;

namespace Weir.Core.Tests.Patching;

/// <summary>JSON patch, merge patch and strategic merge patch, each compared with kubectl patch --local.</summary>
public sealed class PatchTests
{
    private static JsonObject Deployment() => JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web","tier":"front"}},
         "spec":{"replicas":1,"template":{"spec":{"containers":[
           {"name":"a","image":"x","args":["--one"],"env":[{"name":"E1","value":"1"}]},
           {"name":"b","image":"y"}]}}}}
        """)!.AsObject();

    [Theory]
    [InlineData("""[{"op":"add","path":"/spec/replicas","value":3}]""")]
    [InlineData("""[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"z"}]""")]
    [InlineData("""[{"op":"remove","path":"/metadata/labels/tier"}]""")]
    [InlineData("""[{"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"c","image":"w"}}]""")]
    [InlineData("""[{"op":"add","path":"/spec/template/spec/containers/1","value":{"name":"c","image":"w"}}]""")]
    [InlineData("""[{"op":"copy","from":"/metadata/labels","path":"/metadata/annotations"}]""")]
    [InlineData("""[{"op":"move","from":"/metadata/labels/app","path":"/metadata/labels/name"}]""")]
    [InlineData("""[{"op":"test","path":"/spec/replicas","value":1},{"op":"add","path":"/metadata/labels/x~1y","value":"v"}]""")]
    public void JsonPatchMatchesKubectl(string patch)
    {
        var expected = KubectlPatchOracle.Patch(Deployment(), "json", patch);
        var actual = JsonPatch.Apply(Deployment(), JsonNode.Parse(patch)!.AsArray());
        Assert.True(JsonNode.DeepEquals(expected, actual), actual?.ToJsonString());
    }

    [Fact]
    public void JsonPatchRefusesMissingPath() =>
        Assert.Throws<JsonPatchException>(() => JsonPatch.Apply(Deployment(), JsonNode.Parse("""[{"op":"remove","path":"/spec/nothere"}]""")!.AsArray()));

    [Theory]
    [InlineData("""{"spec":{"replicas":2}}""")]
    [InlineData("""{"metadata":{"labels":{"tier":null,"new":"v"}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"only"}]}}}}""")]
    public void MergePatchMatchesKubectl(string patch)
    {
        var expected = KubectlPatchOracle.Patch(Deployment(), "merge", patch);
        var actual = JsonMergePatch.Apply(Deployment(), JsonNode.Parse(patch));
        Assert.True(JsonNode.DeepEquals(expected, actual), actual?.ToJsonString());
    }

    // The API server's list order (kustomize's patch-first order is covered by the kustomize corpus).
    [Theory]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"new"}]}}}}""")]
    [InlineData("""{"metadata":{"finalizers":["f2"]}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"z"}]}}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"a","args":["--two"]}]}}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"a","env":[{"name":"E1","value":"9"}]}]}}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"b","$patch":"delete"}]}}}}""")]
    [InlineData("""{"metadata":{"labels":{"tier":null}},"spec":{"replicas":5}}""")]
    public void StrategicMergePatchMatchesKubectl(string patch)
    {
        var expected = KubectlPatchOracle.Patch(Deployment(), "strategic", patch);
        var actual = StrategicMergePatch.Apply(Deployment(), JsonNode.Parse(patch)!.AsObject(), new GroupVersionKind("apps", "v1", "Deployment"),
            order: StrategicMergePatch.ListOrder.TargetFirst);
        Assert.True(JsonNode.DeepEquals(expected, actual), actual?.ToJsonString());
    }

    [Fact]
    public void StrategicMergePatchDeleteDirectiveRemovesTheObject() =>
        Assert.Null(StrategicMergePatch.Apply(Deployment(), JsonNode.Parse("""{"$patch":"delete"}""")!.AsObject(), new GroupVersionKind("apps", "v1", "Deployment")));
}
