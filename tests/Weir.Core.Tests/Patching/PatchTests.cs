using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.Patching;

namespace Weir.Core.Tests.Patching;

/// <summary>JSON patch, merge patch and strategic merge patch, each compared with kubectl patch --local.</summary>
public sealed class PatchTests
{
    private static JsonObject Deployment() => JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web","tier":"front"},"finalizers":["f1","f0"]},
         "spec":{"replicas":1,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},"template":{"spec":{"containers":[
           {"name":"a","image":"x","args":["--one"],"env":[{"name":"E1","value":"1"},{"name":"E3","value":"3"}],"ports":[{"containerPort":80},{"containerPort":90}]},
           {"name":"b","image":"y"}],"volumes":[{"name":"v","hostPath":{"path":"/x"}},{"name":"w","emptyDir":{}}]}}}}
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

    [Fact]
    public void ACreatedMergePatchTurnsTheOldObjectIntoTheNewOne()
    {
        var from = JsonNode.Parse("""{"observedGeneration":1,"url":"a","artifact":{"revision":"v1","metadata":{"k":"v"},"size":3},"inventory":{"entries":[1,2]}}""")!.AsObject();
        var to = JsonNode.Parse("""{"observedGeneration":2,"artifact":{"revision":"v2","size":3},"inventory":{"entries":[1]},"lastHandledReconcileAt":"t"}""")!.AsObject();

        var patch = JsonMergePatch.Create(from, to);

        Assert.Equal("""{"observedGeneration":2,"artifact":{"revision":"v2","metadata":null},"inventory":{"entries":[1]},"lastHandledReconcileAt":"t","url":null}""",
            patch.ToJsonString());
        Assert.True(JsonNode.DeepEquals(to, JsonMergePatch.Apply(from.DeepClone(), patch)));
        Assert.Empty(JsonMergePatch.Create(to, to.DeepClone().AsObject()));
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
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"w"},{"name":"a","image":"x2"}]}}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"y2"},{"name":"c","image":"w"},{"name":"a","image":"x2"}]}}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"a","image":"q"}]}}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"c"},{"name":"a"}],"containers":[{"name":"c","image":"q"}]}}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"z","image":"q"},{"$patch":"replace"}]}}}}""")]
    [InlineData("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["f1"]}}""")]
    [InlineData("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["f1"],"finalizers":["f9"]}}""")]
    [InlineData("""{"metadata":{"$setElementOrder/finalizers":["f2","f0","f1"],"finalizers":["f2"]}}""")]
    [InlineData("""{"metadata":{"finalizers":["f0","f5"]}}""")]
    [InlineData("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"volumes":[{"name":"v","$retainKeys":["name","emptyDir"],"emptyDir":{}}]}}}}""")]
    [InlineData("""{"metadata":{"labels":{"$patch":"replace","only":"x"}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"a","env":[{"name":"E2","value":"2"},{"name":"E1","$patch":"delete"}]}]}}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"a","ports":[{"containerPort":90,"name":"web"},{"containerPort":70}]}]}}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"a","$setElementOrder/env":[{"name":"E3"},{"name":"E1"}],"env":[{"name":"E3","value":"x"}]}]}}}}""")]
    [InlineData("""{"spec":{"strategy":{"$patch":"delete"}}}""")]
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

    [Theory]
    [InlineData("""{"metadata":{"labels":{"$patch":"merge","x":"y"}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"$patch":"merge"}]}}}}""")]
    [InlineData("""{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{"maxSurge":2}}}}""")]
    public void StrategicMergePatchRefusesWhatKubectlRefuses(string patch)
    {
        Assert.False(KubectlPatchOracle.TryPatch(Deployment(), "strategic", patch, out _));
        Assert.Throws<StrategicMergePatchException>(() => StrategicMergePatch.Apply(Deployment(), JsonNode.Parse(patch)!.AsObject(),
            new GroupVersionKind("apps", "v1", "Deployment"), order: StrategicMergePatch.ListOrder.TargetFirst));
    }
}
