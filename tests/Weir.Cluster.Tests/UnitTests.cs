using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Cluster.Patching;
using Weir.Cluster.Printing;
using Weir.Cluster.Schema;
using Weir.Cluster.Selectors;
using Weir.Core.Api.Defaults;

namespace Weir.Cluster.Tests;

public sealed class LabelSelectorTests
{
    private static JsonObject Labels(string json) => JsonNode.Parse(json)!.AsObject();

    [Theory]
    [InlineData("app=web", "{\"app\":\"web\"}", true)]
    [InlineData("app==web", "{\"app\":\"web\"}", true)]
    [InlineData("app!=web", "{}", true)]
    [InlineData("app!=web", "{\"app\":\"web\"}", false)]
    [InlineData("app in (web,api)", "{\"app\":\"api\"}", true)]
    [InlineData("app notin (web)", "{}", true)]
    [InlineData("idx notin (1,2)", "{\"idx\":\"2\"}", false)]
    [InlineData("app", "{\"app\":\"\"}", true)]
    [InlineData("!foo", "{\"foo\":\"x\"}", false)]
    [InlineData("app in (web),!foo,tier=x", "{\"app\":\"web\",\"tier\":\"x\"}", true)]
    [InlineData("example.com/role=db", "{\"example.com/role\":\"db\"}", true)]
    public void Matches(string selector, string labels, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels(labels)));

    [Theory]
    [InlineData("app in web")]
    [InlineData("app=a=b")]
    [InlineData("Bad Key=x")]
    public void RejectsBadSyntax(string selector) =>
        Assert.Equal(400, Assert.Throws<ApiException>(() => LabelSelector.Parse(selector)).Code);
}

public sealed class JsonPathTests
{
    private static readonly JsonNode Doc = JsonNode.Parse("""
        {"spec":{"size":3,"items":[{"name":"a"},{"name":"b"}]},
         "status":{"conditions":[{"type":"Reconciling","status":"False"},{"type":"Ready","status":"True","message":"Applied revision: v2.1.0@sha256:abc123"}]},
         "metadata":{"labels":{"app.kubernetes.io/name":"x"}}}
        """)!;

    [Theory]
    [InlineData(".spec.size", "3")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "\"True\"")]
    [InlineData(".status.conditions[?(@.type=='Ready')].message", "\"Applied revision: v2.1.0@sha256:abc123\"")]
    [InlineData(".spec.items[1].name", "\"b\"")]
    [InlineData(".spec.items[-1].name", "\"b\"")]
    [InlineData("{.metadata.labels['app.kubernetes.io/name']}", "\"x\"")]
    public void EvaluatesSingleValues(string path, string expected) =>
        Assert.Equal(expected, Assert.Single(JsonPathExpression.Parse(path).Evaluate(Doc)).ToJsonString());

    [Fact]
    public void WildcardsYieldEveryMatch() =>
        Assert.Equal(["\"a\"", "\"b\""], JsonPathExpression.Parse(".spec.items[*].name").Evaluate(Doc).Select(n => n.ToJsonString()));

    [Fact]
    public void MissingPathsYieldNothing() =>
        Assert.Empty(JsonPathExpression.Parse(".status.conditions[?(@.type==\"Stalled\")].status").Evaluate(Doc));
}

public sealed class HumanAgeTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(125, "2m5s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 120, "3h2m")]
    [InlineData(10 * 3600, "10h")]
    [InlineData(2 * 86400 + 3 * 3600, "2d3h")]
    [InlineData(30 * 86400, "30d")]
    [InlineData(800 * 86400, "2y70d")]
    public void FormatsLikeKubectl(int seconds, string expected) => Assert.Equal(expected, HumanAge.Format(TimeSpan.FromSeconds(seconds)));
}

public sealed class PatchTests
{
    [Fact]
    public void MergePatchFollowsRfc7386()
    {
        var result = Weir.Core.Patching.JsonMergePatch.Apply(JsonNode.Parse("{\"a\":{\"b\":1,\"c\":2},\"l\":[1,2]}"), JsonNode.Parse("{\"a\":{\"b\":null,\"d\":3},\"l\":[3]}"));
        Assert.Equal("{\"a\":{\"c\":2,\"d\":3},\"l\":[3]}", result!.ToJsonString());
    }

    [Fact]
    public void JsonPatchAppliesEveryOperation()
    {
        var doc = JsonNode.Parse("{\"a\":[1,2],\"b\":{\"x\":1}}")!;
        var patch = JsonNode.Parse("""
            [{"op":"add","path":"/a/-","value":3},{"op":"remove","path":"/a/0"},{"op":"replace","path":"/b/x","value":2},
             {"op":"copy","from":"/b","path":"/c"},{"op":"move","from":"/c/x","path":"/d"},{"op":"test","path":"/d","value":2},
             {"op":"add","path":"/b/a~1b","value":true}]
            """);
        Assert.Equal("{\"a\":[2,3],\"b\":{\"x\":2,\"a/b\":true},\"c\":{},\"d\":2}", PatchTypes.ApplyJson(doc, patch)!.ToJsonString());
    }

    [Fact]
    public void FailedTestIsInvalid() =>
        Assert.Equal(422, Assert.Throws<ApiException>(() => PatchTypes.ApplyJson(JsonNode.Parse("{\"a\":1}")!, JsonNode.Parse("[{\"op\":\"test\",\"path\":\"/a\",\"value\":2}]"))).Code);

    [Fact]
    public void MissingPathIsInvalid() =>
        Assert.Equal(422, Assert.Throws<ApiException>(() => PatchTypes.ApplyJson(JsonNode.Parse("{}")!, JsonNode.Parse("[{\"op\":\"remove\",\"path\":\"/nope\"}]"))).Code);
}

public sealed class SchemaValidatorTests
{
    private static readonly JsonObject Schema = JsonNode.Parse("""
        {"type":"object","properties":{"spec":{"type":"object","required":["size"],"properties":{
          "size":{"type":"integer","minimum":0},
          "mode":{"type":"string","enum":["a","b"],"default":"a"},
          "port":{"x-kubernetes-int-or-string":true},
          "when":{"type":"string","format":"date-time"},
          "name":{"type":"string","pattern":"^[a-z]+$"},
          "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
          "tags":{"type":"array","items":{"type":"string"}}}}}}
        """)!.AsObject();

    /// <summary>As the registry handles a custom resource: structural defaults first, then validation and pruning.</summary>
    private static SchemaResult Validate(JsonObject obj)
    {
        SchemaDefaulter.Apply(obj, Schema);
        return SchemaValidator.Validate(obj, Schema, new SchemaOptions { Resolve = _ => null }, ["apiVersion", "kind", "metadata"]);
    }

    [Fact]
    public void PrunesUnknownFieldsAndAppliesDefaults()
    {
        var obj = JsonNode.Parse("{\"spec\":{\"size\":1,\"port\":\"http\",\"bogus\":1,\"free\":{\"any\":{\"x\":1}}},\"extra\":true}")!.AsObject();
        var result = Validate(obj);
        Assert.Equal(["spec.bogus", "extra"], result.UnknownFields);
        Assert.Empty(result.Errors);
        Assert.Equal("{\"spec\":{\"size\":1,\"port\":\"http\",\"free\":{\"any\":{\"x\":1}},\"mode\":\"a\"}}", obj.ToJsonString());
    }

    [Fact]
    public void ReportsTypesRequiredEnumsPatternsAndFormats()
    {
        var result = Validate(JsonNode.Parse("{\"spec\":{\"mode\":\"c\",\"port\":true,\"when\":\"yesterday\",\"name\":\"A1\",\"tags\":[1]}}")!.AsObject());
        var all = result.Errors.Concat(result.TypeErrors).Select(e => e.ToString()).ToList();
        Assert.Contains("spec.size: Required value", all);
        Assert.Contains(all, e => e.StartsWith("spec.mode: Unsupported value: \"c\": supported values: \"a\", \"b\"", StringComparison.Ordinal));
        Assert.Contains(all, e => e.StartsWith("spec.port: Invalid value: true", StringComparison.Ordinal));
        Assert.Contains(all, e => e.Contains("must be of type date-time", StringComparison.Ordinal));
        Assert.Contains(all, e => e.Contains("should match '^[a-z]+$'", StringComparison.Ordinal));
        Assert.Contains(all, e => e.StartsWith("spec.tags[0]: Invalid value: 1", StringComparison.Ordinal));
    }

    [Fact]
    public void BuiltinSchemasComeFromTheEmbeddedReference()
    {
        Assert.Equal("io.k8s.api.apps.v1.Deployment", BuiltinSchemas.Instance.DefinitionFor("apps", "v1", "Deployment"));
        Assert.Contains("io.k8s.api.core.v1.Container", BuiltinSchemas.Instance.Closure(["io.k8s.api.apps.v1.Deployment"]));
    }
}

public sealed class ResourceCatalogTests
{
    private static JsonObject Crd(string rv, string defaultMode) => JsonNode.Parse(
        "{\"metadata\":{\"name\":\"gadgets.example.com\",\"resourceVersion\":\"" + rv + "\"}," +
        "\"spec\":{\"group\":\"example.com\",\"scope\":\"Namespaced\",\"names\":{\"plural\":\"gadgets\",\"singular\":\"gadget\",\"kind\":\"Gadget\"}," +
        "\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\",\"properties\":{" +
        "\"spec\":{\"type\":\"object\",\"properties\":{\"mode\":{\"type\":\"string\",\"default\":\"" + defaultMode + "\"}}}}}}}]}}")!.AsObject();

    private static CustomResourceStrategy Served(ResourceCatalog catalog) =>
        (CustomResourceStrategy)catalog.Find("example.com", "v1", "gadgets")!.Strategy;

    [Fact]
    public void ObjectsNeedDefaultsOnReadOnlyWhenWrittenBeforeTheSchemaChanged()
    {
        var catalog = new ResourceCatalog();
        catalog.SetCrd(Crd("10", "fast"));
        Assert.True(Served(catalog).DefaultsOnRead(9));
        Assert.False(Served(catalog).DefaultsOnRead(11));

        catalog.SetCrd(Crd("20", "fast"));
        Assert.Equal(10, Served(catalog).SchemaRevision);
        Assert.False(Served(catalog).DefaultsOnRead(11));

        catalog.SetCrd(Crd("30", "slow"));
        Assert.Equal(30, Served(catalog).SchemaRevision);
        Assert.True(Served(catalog).DefaultsOnRead(11));
    }
}
