using System.Text.Json.Nodes;
using Weir.Core.Api.Meta;
using Weir.Runtime.Apply;

namespace Weir.Runtime.Tests.Apply;

/// <summary>Rule validation, target matching, stripping and ownership-aware payloads of <c>spec.ignore</c>.</summary>
public sealed class DriftIgnoreTests
{
    private const string Us = "kustomize-controller";

    private static JsonObject Deployment(string name = "web", string ns = "apps", int replicas = 2, string image = "web:1", string container = "app",
        string managedFields = "[]", string labels = "{}", string annotations = "{}") => JsonNode.Parse($$$"""
        {
          "apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": {"name": "{{{name}}}", "namespace": "{{{ns}}}", "resourceVersion": "7", "labels": {{{labels}}}, "annotations": {{{annotations}}},
                       "managedFields": {{{managedFields}}}},
          "spec": {"replicas": {{{replicas}}}, "template": {"spec": {"containers": [{"name": "{{{container}}}", "image": "{{{image}}}"}]} } }
        }
        """)!.AsObject();

    private static JsonObject ConfigMap(string name = "settings", string ns = "apps") => JsonNode.Parse($$$"""
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "{{{name}}}", "namespace": "{{{ns}}}"}, "data": {"a": "1"}}
        """)!.AsObject();

    private static string Manager(string manager, string operation, string fieldsV1) =>
        $$$"""{"manager": "{{{manager}}}", "operation": "{{{operation}}}", "apiVersion": "apps/v1", "fieldsType": "FieldsV1", "fieldsV1": {{{fieldsV1}}}}""";

    private const string ReplicasFields = """{"f:spec": {"f:replicas": {}}}""";
    private const string ImageFields = """{"f:spec": {"f:template": {"f:spec": {"f:containers": {"k:{\"name\":\"app\"}": {".": {}, "f:image": {}}}}}}}""";

    private static IgnoreRule Rule(Selector? target, params string[] paths) => new() { Paths = paths, Target = target };

    [Theory]
    [InlineData("spec/replicas", "does not start with '/'")]
    [InlineData("", "empty pointer")]
    [InlineData("/metadata/annotations/a~2b", "'~' must be followed by '0' or '1'")]
    public void InvalidPointersNameTheRuleAndPath(string path, string reason)
    {
        var error = Assert.Throws<InvalidIgnoreRuleException>(() =>
            DriftIgnoreRules.Parse([Rule(null, "/spec/replicas"), Rule(null, "/data", path)]));
        Assert.StartsWith($"invalid ignore rule spec.ignore[1]: path '{path}' is not a valid JSON pointer: ", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void InvalidTargetRegexIsReported()
    {
        var error = Assert.Throws<InvalidIgnoreRuleException>(() => DriftIgnoreRules.Parse([Rule(new Selector { Name = "web(" }, "/spec")]));
        Assert.StartsWith("invalid ignore rule spec.ignore[0]: target name 'web(' is not a valid regular expression", error.Message);
    }

    [Fact]
    public void EscapedPointersAreValid()
    {
        var rules = DriftIgnoreRules.Parse([Rule(null, "/metadata/annotations/example.com~1note", "/data/a~0b")]);
        Assert.Equal(["/metadata/annotations/example.com~1note", "/data/a~0b"], rules.PathsFor(ConfigMap()));
    }

    [Fact]
    public void RulesWithoutTargetApplyToEveryObject()
    {
        var rules = DriftIgnoreRules.Parse([Rule(null, "/spec/replicas"), Rule(null, "/spec/replicas", "/data")]);
        Assert.Equal(["/spec/replicas", "/data"], rules.PathsFor(Deployment()));
        Assert.Equal(["/spec/replicas", "/data"], rules.PathsFor(ConfigMap()));
        Assert.Empty(DriftIgnoreRules.Parse(null).PathsFor(Deployment()));
    }

    [Fact]
    public void TargetsSelectByGvkAnchoredNameAndNamespaceLabelsAndAnnotations()
    {
        var rules = DriftIgnoreRules.Parse(
        [
            Rule(new Selector { Kind = "Deployment", Group = "apps" }, "/kind-match"),
            Rule(new Selector { Name = "web" }, "/name-match"),
            Rule(new Selector { Namespace = "prod-.*" }, "/namespace-match"),
            Rule(new Selector { LabelSelector = "tier in (front,edge),!legacy" }, "/label-match"),
            Rule(new Selector { AnnotationSelector = "autoscaled=true" }, "/annotation-match"),
            Rule(new Selector { Kind = "Deployment", Version = "v2" }, "/version-mismatch"),
        ]);

        Assert.Equal(["/kind-match", "/name-match"], rules.PathsFor(Deployment()));
        Assert.Equal(["/kind-match"], rules.PathsFor(Deployment(name: "web-2")));
        Assert.Equal(["/namespace-match"], rules.PathsFor(ConfigMap(ns: "prod-eu")));
        Assert.Equal(["/kind-match", "/name-match", "/label-match", "/annotation-match"],
            rules.PathsFor(Deployment(labels: """{"tier": "edge"}""", annotations: """{"autoscaled": "true"}""")));
        Assert.Equal(["/kind-match", "/name-match"], rules.PathsFor(Deployment(labels: """{"tier": "edge", "legacy": "yes"}""")));
    }

    [Fact]
    public void WithoutRemovesPresentPathsFromACopy()
    {
        var deployment = Deployment();
        var stripped = IgnoredFields.Without(deployment, ["/spec/replicas", "/spec/template/spec/containers/0/image", "/spec/absent/deeper"]);
        Assert.False(stripped["spec"]!.AsObject().ContainsKey("replicas"));
        Assert.False(stripped["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject().ContainsKey("image"));
        Assert.Equal(2, deployment["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void OwnershipFollowsFieldsAndKeyedListItems()
    {
        var fields = $"[{Manager("hpa", "Apply", ReplicasFields)}, {Manager("ci", "Apply", ImageFields)}, {Manager("kubectl", "Update", """{"f:spec": {"f:paused": {}}}""")}]";
        var cluster = Deployment(managedFields: fields);
        cluster["spec"]!["paused"] = true;

        Assert.True(FieldOwnership.OwnedByOtherApplier(cluster, "/spec/replicas", Us));
        Assert.False(FieldOwnership.OwnedByOtherApplier(cluster, "/spec/replicas", "hpa"));
        Assert.True(FieldOwnership.OwnedByOtherApplier(cluster, "/spec/template/spec/containers/0/image", Us));
        Assert.False(FieldOwnership.OwnedByOtherApplier(cluster, "/spec/paused", Us)); // an Update, not an Apply
        Assert.False(FieldOwnership.OwnedByOtherApplier(cluster, "/spec/template/spec/containers/1/image", Us));

        var otherItem = Deployment(container: "sidecar", managedFields: fields);
        Assert.False(FieldOwnership.OwnedByOtherApplier(otherItem, "/spec/template/spec/containers/0/image", Us));
    }

    [Fact]
    public void ResolveLeavesFieldsOwnedByAnotherApplierOutOfThePayload()
    {
        var cluster = Deployment(replicas: 5, managedFields: $"[{Manager("hpa", "Apply", ReplicasFields)}]");
        var desired = Deployment(replicas: 2, image: "web:2");
        var payload = IgnoredFields.Resolve(desired, cluster, Deployment(replicas: 2, image: "web:2"), ["/spec/replicas"], Us);

        Assert.False(payload["spec"]!.AsObject().ContainsKey("replicas"));
        Assert.Equal("web:2", payload["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal(2, desired["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void ResolveWritesTheClusterValueWhenNoOtherApplierOwnsIt()
    {
        var fields = $"[{Manager(Us, "Apply", ReplicasFields)}, {Manager("kubectl", "Update", ReplicasFields)}]";
        var cluster = Deployment(replicas: 5, managedFields: fields);
        var payload = IgnoredFields.Resolve(Deployment(replicas: 2, image: "web:2"), cluster, Deployment(replicas: 2, image: "web:2"), ["/spec/replicas"], Us);
        Assert.Equal(5, payload["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void ResolveStripsFieldsMissingInTheClusterAndKeepsEqualOnes()
    {
        var cluster = Deployment(annotations: """{"kept": "x"}""");
        var desired = Deployment(annotations: """{"kept": "x", "new": "y"}""");
        var payload = IgnoredFields.Resolve(desired, cluster, desired, ["/metadata/annotations/new", "/metadata/annotations/kept", "/spec/replicas"], Us);
        Assert.Equal("""{"kept":"x"}""", payload["metadata"]!["annotations"]!.ToJsonString());
        Assert.Equal(2, payload["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void ResolveCreatesMissingParentsForTheClusterValue()
    {
        var cluster = Deployment(annotations: """{"owner": "someone"}""");
        var desired = Deployment();
        desired["metadata"]!.AsObject().Remove("annotations");
        var payload = IgnoredFields.Resolve(desired, cluster, desired, ["/metadata/annotations/owner"], Us);
        Assert.Equal("someone", payload["metadata"]!["annotations"]!["owner"]!.GetValue<string>());
    }
}
