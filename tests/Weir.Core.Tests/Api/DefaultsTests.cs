using System.Text.Json.Nodes;
using Weir.Core.Api.Crds;
using Weir.Core.Api.Defaults;
using Weir.Core.Api.Kustomize;
using Weir.Core.Api.Source;

namespace Weir.Core.Tests.Api;

public class DefaultsTests
{
    [Fact]
    public void SchemaDefaultsFillMissingFieldsLikeTheApiServer()
    {
        var obj = JsonNode.Parse("""
            {"apiVersion":"source.toolkit.fluxcd.io/v1","kind":"OCIRepository","metadata":{"name":"my-app"},
             "spec":{"url":"oci://ghcr.io/org/app","interval":"5m","verify":{"provider":"cosign"},"timeout":"30s"}}
            """)!.AsObject();
        SchemaDefaulter.Apply(obj, CrdCatalog.SchemaFor(SourceApi.ApiVersion, OCIRepository.KindName)!);

        Assert.Equal("generic", obj["spec"]!["provider"]!.GetValue<string>());
        Assert.Equal("30s", obj["spec"]!["timeout"]!.GetValue<string>());
        Assert.Null(obj["spec"]!["ref"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"observedGeneration":-1}"""), obj["status"]));
    }

    [Fact]
    public void SchemaDefaultsReachIntoArrays()
    {
        var obj = JsonNode.Parse("""
            {"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"apps"},
             "spec":{"interval":"10m","prune":true,"sourceRef":{"kind":"GitRepository","name":"r"},
                     "postBuild":{"substituteFrom":[{"kind":"ConfigMap","name":"vars"}]}}}
            """)!.AsObject();
        SchemaDefaulter.Apply(obj, CrdCatalog.SchemaFor(KustomizeApi.ApiVersion, Kustomization.KindName)!);

        Assert.False(obj["spec"]!["postBuild"]!["substituteFrom"]![0]!["optional"]!.GetValue<bool>());
        Assert.False(obj["spec"]!["force"]!.GetValue<bool>());
        Assert.Null(obj["spec"]!["deletionPolicy"]);
    }

    [Fact]
    public void NullsTheSchemaDoesNotAllowTakeTheDefaultInPropertiesMapValuesAndItems()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{
              "mode":{"type":"string","default":"a"},
              "free":{"type":"string","nullable":true,"default":"x"},
              "limits":{"type":"object","additionalProperties":{"type":"integer","default":1}},
              "ports":{"type":"array","items":{"type":"object","properties":{"protocol":{"type":"string","default":"TCP"}}}}}}
            """)!.AsObject();
        var obj = JsonNode.Parse("""{"mode":null,"free":null,"limits":{"cpu":null,"mem":4},"ports":[{},{"protocol":"UDP"}]}""")!.AsObject();

        SchemaDefaulter.Apply(obj, schema);

        Assert.Equal("""{"mode":"a","free":null,"limits":{"cpu":1,"mem":4},"ports":[{"protocol":"TCP"},{"protocol":"UDP"}]}""", obj.ToJsonString());
        Assert.True(SchemaDefaulter.HasDefaults(schema));
        Assert.False(SchemaDefaulter.HasDefaults(JsonNode.Parse("""{"type":"object","properties":{"a":{"type":"array","items":{"type":"string"}}}}""")));
    }
}
