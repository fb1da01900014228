using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Core.Api.Crds;

namespace Weir.Core.Tests.Api;

/// <summary>
/// Checks our CRD objects against Kubernetes' own OpenAPI definition of CustomResourceDefinition (from the
/// shared reference): every field is declared there with a matching type, and required fields are present.
/// </summary>
public class CrdOpenApiConformanceTests
{
    private const string Prefix = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.";

    // CEL validation rules arrived in Kubernetes 1.23, after the reference document's version (1.21).
    private static readonly HashSet<string> NewerSchemaKeywords = ["x-kubernetes-validations"];

    private static readonly Lazy<JsonObject> Definitions = new(() =>
    {
        var file = TestPaths.SharedReference("kubernetes-openapi-v1.21.2.json.gz");
        using var gz = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        return JsonNode.Parse(gz)!["definitions"]!.AsObject();
    });

    [Fact]
    public void EveryCrdMatchesTheKubernetesApi()
    {
        var problems = new List<string>();
        var checkedNodes = 0;
        foreach (var crd in CrdCatalog.All())
        {
            Check(crd, Definition(Prefix + "CustomResourceDefinition"), crd["metadata"]!["name"]!.GetValue<string>(), problems, ref checkedNodes);
        }

        Assert.True(problems.Count == 0, $"{problems.Count} problems in {checkedNodes} nodes:\n" + string.Join("\n", problems.Take(50)));
        Assert.True(checkedNodes > 1000, $"only {checkedNodes} nodes checked");
    }

    private static JsonObject Definition(string name) =>
        Definitions.Value[name] as JsonObject ?? throw new InvalidOperationException("no definition " + name);

    private static JsonObject Resolve(JsonObject schema) =>
        schema["$ref"] is JsonValue r ? Definition(r.GetValue<string>()["#/definitions/".Length..]) : schema;

    private static void Check(JsonNode? value, JsonObject schema, string path, List<string> problems, ref int count)
    {
        count++;
        schema = Resolve(schema);
        var name = Definitions.Value.FirstOrDefault(kv => ReferenceEquals(kv.Value, schema)).Key ?? "";

        // Kubernetes' "or" types and raw JSON have no properties in OpenAPI: check what they stand for.
        if (name.EndsWith(".JSON", StringComparison.Ordinal))
        {
            return;
        }

        if (name.EndsWith("JSONSchemaPropsOrBool", StringComparison.Ordinal) || name.EndsWith("JSONSchemaPropsOrArray", StringComparison.Ordinal))
        {
            if (value is JsonObject)
            {
                Check(value, Definition(Prefix + "JSONSchemaProps"), path, problems, ref count);
            }
            else if (value?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                problems.Add($"{path}: expected a schema or a boolean");
            }

            return;
        }

        var type = schema["type"]?.GetValue<string>();
        switch (value)
        {
            case JsonObject obj when type == "object":
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()))
                {
                    if (!obj.ContainsKey(required))
                    {
                        problems.Add($"{path}: required field {required} missing");
                    }
                }

                foreach (var (key, child) in obj)
                {
                    if (properties?[key] is JsonObject propertySchema)
                    {
                        Check(child, propertySchema, $"{path}.{key}", problems, ref count);
                    }
                    else if (additional is not null)
                    {
                        Check(child, additional, $"{path}[{key}]", problems, ref count);
                    }
                    else if (!(name.EndsWith("JSONSchemaProps", StringComparison.Ordinal) && NewerSchemaKeywords.Contains(key)))
                    {
                        problems.Add($"{path}.{key}: not a field of {name}");
                    }
                }

                break;
            case JsonArray array when type == "array":
                for (var i = 0; i < array.Count; i++)
                {
                    Check(array[i], (JsonObject)schema["items"]!, $"{path}[{i}]", problems, ref count);
                }

                break;
            case JsonValue v when Matches(v.GetValueKind(), type):
                break;
            default:
                problems.Add($"{path}: {value?.GetValueKind().ToString() ?? "null"} where {name} {type} is expected");
                break;
        }
    }

    private static bool Matches(JsonValueKind kind, string? type) => type switch
    {
        "string" => kind == JsonValueKind.String,
        "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
        "integer" or "number" => kind == JsonValueKind.Number,
        _ => false,
    };
}
