using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Cli.Commands;
using Weir.Core.Api.Crds;
using Weir.Core.Yaml;

namespace Weir.Core.Tests.Api;

/// <summary>Our CRDs follow Kubernetes' structural-schema rules and carry the seeds' printer columns.</summary>
public class CrdStructureTests
{
    private static readonly HashSet<string> AllowedKeywords =
    [
        "type", "format", "description", "properties", "items", "additionalProperties", "required", "enum",
        "pattern", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "default",
        "x-kubernetes-preserve-unknown-fields", "x-kubernetes-validations",
    ];

    private static readonly HashSet<string> Types = ["object", "array", "string", "integer", "number", "boolean"];

    public static TheoryData<string> Kinds() => [.. CrdCatalog.Descriptors.Select(d => d.Kind)];

    [Fact]
    public void CatalogHasTheKindsSourcesFirst()
    {
        var kinds = CrdCatalog.All().Select(c => c["spec"]!["names"]!["kind"]!.GetValue<string>()).ToList();
        Assert.Equal(
            [
                "OCIRepository", "GitRepository", "HelmRepository", "HelmChart", "Bucket", "ExternalArtifact", "ArtifactGenerator",
                "Kustomization", "HelmRelease", "Alert", "Provider", "Receiver",
            ],
            kinds);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SchemaIsStructural(string kind)
    {
        var crd = Crd(kind);
        var version = crd["spec"]!["versions"]!.AsArray().Single()!;
        var root = version["schema"]!["openAPIV3Schema"]!.AsObject();
        var problems = new List<string>();
        var nodes = 0;
        Check("", root, false, problems, ref nodes);

        Assert.True(JsonNode.DeepEquals(new JsonObject { ["type"] = "object" }, root["properties"]!["metadata"]),
            "metadata must be a bare object schema");
        Assert.True(problems.Count == 0, $"{kind}: {problems.Count} structural problems in {nodes} nodes:\n" + string.Join("\n", problems));
        Assert.True(nodes > 20, $"{kind}: only {nodes} schema nodes");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void CrdHasStatusSubresourceColumnsAndNames(string kind)
    {
        var crd = Crd(kind);
        var descriptor = CrdCatalog.Descriptors.Single(d => d.Kind == kind);
        Assert.Equal("apiextensions.k8s.io/v1", crd["apiVersion"]!.GetValue<string>());
        Assert.Equal("CustomResourceDefinition", crd["kind"]!.GetValue<string>());
        Assert.Equal($"{descriptor.Plural}.{descriptor.Group}", crd["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("disabled", crd["metadata"]!["annotations"]!["kustomize.toolkit.fluxcd.io/substitute"]!.GetValue<string>());
        Assert.Equal("Namespaced", crd["spec"]!["scope"]!.GetValue<string>());

        var version = crd["spec"]!["versions"]!.AsArray().Single()!;
        Assert.True(version["served"]!.GetValue<bool>() && version["storage"]!.GetValue<bool>());
        var columns = version["additionalPrinterColumns"]!.AsArray().Select(c => c!.AsObject()).ToList();
        var shown = columns.Where(c => c["priority"] is null).Select(c =>
            (c["name"]!.GetValue<string>(), c["type"]!.GetValue<string>(), c["jsonPath"]!.GetValue<string>())).ToList();
        if (descriptor.Status is null)
        {
            // Flux's static kinds (Alert, Provider): no status at all, only an Age column.
            Assert.True(JsonNode.DeepEquals(new JsonObject(), version["subresources"]));
            Assert.Null(version["schema"]!["openAPIV3Schema"]!["properties"]!["status"]);
            Assert.Equal([("Age", "date", ".metadata.creationTimestamp")], shown);
            return;
        }

        Assert.True(JsonNode.DeepEquals(new JsonObject(), version["subresources"]!["status"]));
        Assert.True(JsonNode.DeepEquals(descriptor.DefaultStatus ? new JsonObject { ["observedGeneration"] = -1 } : null,
            version["schema"]!["openAPIV3Schema"]!["properties"]!["status"]!["default"]));

        // Every kind with a status shows Ready, Status and Age by default (their order and the kind's own columns are
        // Flux's or the seeds', checked against the reference CRDs in CrdFieldCoverageTests).
        Assert.Equal(
            [
                ("Age", "date", ".metadata.creationTimestamp"),
                ("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
                ("Status", "string", ".status.conditions[?(@.type==\"Ready\")].message"),
            ],
            shown.Where(c => c.Item1 is "Ready" or "Status" or "Age").OrderBy(c => c.Item1, StringComparer.Ordinal));
        Assert.All(columns.Where(c => c["priority"] is not null), c => Assert.Equal(1, c["priority"]!.GetValue<int>()));
    }

    [Fact]
    public void CrdsCommandPrintsTheCatalogAsYamlAndJson()
    {
        var expected = CrdCatalog.All();

        var yaml = new StringWriter();
        CrdsCommand.Write(yaml);
        var documents = KubeYaml.ParseAll(yaml.ToString());
        Assert.Equal(expected.Count, documents.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(expected[i], documents[i]), $"YAML document {i} differs from CrdCatalog.All()");
        }

        var json = new StringWriter();
        CrdsCommand.Write(json, "json");
        var list = JsonNode.Parse(json.ToString())!.AsObject();
        Assert.Equal("List", list["kind"]!.GetValue<string>());
        var items = list["items"]!.AsArray();
        Assert.Equal(expected.Count, items.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(expected[i], items[i]), $"item {i} differs from CrdCatalog.All()");
        }
    }

    private static JsonObject Crd(string kind) =>
        CrdCatalog.All().Single(c => c["spec"]!["names"]!["kind"]!.GetValue<string>() == kind);

    private static void Check(string path, JsonObject node, bool isField, List<string> problems, ref int count)
    {
        count++;
        foreach (var key in node.Select(kv => kv.Key).Where(k => !AllowedKeywords.Contains(k)))
        {
            problems.Add($"{path}: keyword {key} not allowed");
        }

        var freeForm = node["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        var type = node["type"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
        if (node["type"] is not null && type is null)
        {
            problems.Add($"{path}: type must be a single string");
        }
        else if (type is null && !freeForm)
        {
            problems.Add($"{path}: type missing");
        }
        else if (type is not null && !Types.Contains(type))
        {
            problems.Add($"{path}: unknown type {type}");
        }

        if (node["properties"] is not null && node["additionalProperties"] is not null)
        {
            problems.Add($"{path}: properties and additionalProperties together");
        }

        if (node["properties"] is not null && type != "object")
        {
            problems.Add($"{path}: properties on a {type}");
        }

        if (type == "array" && node["items"] is not JsonObject)
        {
            problems.Add($"{path}: array needs a single items schema");
        }

        if (node["required"] is JsonArray required)
        {
            var props = node["properties"] as JsonObject;
            foreach (var name in required.Select(r => r!.GetValue<string>()).Where(r => props?.ContainsKey(r) != true))
            {
                problems.Add($"{path}: required {name} is not a property");
            }
        }

        if (node["pattern"] is JsonValue pattern)
        {
            try
            {
                _ = new Regex(pattern.GetValue<string>());
            }
            catch (ArgumentException e)
            {
                problems.Add($"{path}: bad pattern: {e.Message}");
            }
        }

        if (node["default"] is JsonNode d && type is not null && !MatchesType(d, type))
        {
            problems.Add($"{path}: default {d.ToJsonString()} is not a {type}");
        }

        if (node["enum"] is JsonArray values && values.Any(e => e is null || !MatchesType(e, type ?? "string")))
        {
            problems.Add($"{path}: enum values must be non-null {type}s");
        }

        if (node["x-kubernetes-validations"] is JsonArray rules && rules.Any(r =>
                r?["rule"] is not JsonValue || r["message"] is not JsonValue))
        {
            problems.Add($"{path}: CEL rules need rule and message");
        }

        // Our own descriptions on every field (items and map values are described by their field).
        if (isField && path != ".metadata" && node["description"] is null)
        {
            problems.Add($"{path}: no description");
        }

        if (node["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                Check($"{path}.{name}", child!.AsObject(), true, problems, ref count);
            }
        }

        if (node["items"] is JsonObject items)
        {
            Check(path + "[]", items, false, problems, ref count);
        }

        if (node["additionalProperties"] is JsonObject additional)
        {
            Check(path + "{}", additional, false, problems, ref count);
        }
        else if (node["additionalProperties"] is not null)
        {
            problems.Add($"{path}: additionalProperties must be a schema");
        }
    }

    private static bool MatchesType(JsonNode value, string type) => (type, value.GetValueKind()) switch
    {
        ("object", System.Text.Json.JsonValueKind.Object) => true,
        ("array", System.Text.Json.JsonValueKind.Array) => true,
        ("string", System.Text.Json.JsonValueKind.String) => true,
        ("integer" or "number", System.Text.Json.JsonValueKind.Number) => true,
        ("boolean", System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False) => true,
        _ => false,
    };
}
