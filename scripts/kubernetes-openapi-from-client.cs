#:package KubernetesClient
#:property PublishAot=false
#:property CopyDocumentationFilesFromPackages=true
#:property NoWarn=$(NoWarn);CS1591

// Writes the OpenAPI (swagger 2.0) definitions of the Kubernetes version the KubernetesClient package was generated
// from (its models are generated from that release's api/openapi-spec/swagger.json), in the shape of
// src/Weir.Core/OpenApi/kubernetes-openapi-v1.21.2.json, for the embedded API server. Run by
// scripts/generate-kubernetes-openapi; see src/Weir.Core/OpenApi/NOTICE.md.
//
// From the package: every definition and field (names from [JsonPropertyName]), field types, descriptions (its XML
// documentation) and kinds ([KubernetesEntity]). The package drops the required lists, the x-kubernetes-* markers
// (patch strategy and merge key, list type and map keys, map type, unions), the formats of a few string types (Time
// against MicroTime, FieldsV1) and definition names (it names classes V1Pod, Corev1Event). Those come from the
// 1.21.2 document where a definition or field already existed there; a field that 1.21.2 lacks gets no marker (an
// atomic list, as the API server treats a list without one) and a definition it lacks no required list. Definition
// names are 1.21.2's, or the package of the kind that uses the type.
// Usage: dotnet run scripts/kubernetes-openapi-from-client.cs -- BASE_1_21_2.json OUT_DIR
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using k8s.Models;

var basePath = args[0];
var outDir = args[1];
var reference = JsonNode.Parse(File.ReadAllText(basePath))!["definitions"]!.AsObject();
var assembly = typeof(V1Pod).Assembly;
var version = (string)assembly.GetType("k8s.GeneratedApiVersion")!.GetField("SwaggerVersion")!.GetValue(null)!;
var docs = XDocument.Load(Path.ChangeExtension(assembly.Location, ".xml")).Descendants("member")
    .ToDictionary(m => (string)m.Attribute("name")!, m => Text(m.Element("summary")));

var models = assembly.GetExportedTypes()
    .Where(t => t.Namespace == "k8s.Models" && t.IsClass && !t.IsAbstract
        && t.GetProperties().Any(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null)
        && t.GetCustomAttribute<KubernetesEntityAttribute>() is not { Group: "metrics.k8s.io" })
    .Where(t => !t.Name.EndsWith("Metrics", StringComparison.Ordinal) && !t.Name.EndsWith("MetricsList", StringComparison.Ordinal))
    .Where(t => t != typeof(V1Patch)) // written by hand in the package (a patch body and its type); 1.21.2's Patch is kept
    .OrderBy(t => t.Name, StringComparer.Ordinal)
    .ToList();

// Class name → definition name: 1.21.2's name when the class name (V1PodSpec, or Corev1Event where two groups share a
// kind) fits exactly one of them; else the kind's package; else the package of the first definition that uses it.
var names = new Dictionary<Type, string>();
var byClassName = new Dictionary<string, List<string>>(StringComparer.Ordinal);
foreach (var (name, _) in reference)
{
    foreach (var key in ClassNamesOf(name))
    {
        (byClassName.TryGetValue(key, out var list) ? list : byClassName[key] = []).Add(name);
    }
}

foreach (var type in models)
{
    if (byClassName.TryGetValue(type.Name, out var candidates) && candidates.Count == 1)
    {
        names[type] = candidates[0];
    }
    else if (type.GetCustomAttribute<KubernetesEntityAttribute>() is { } entity)
    {
        names[type] = $"{PackageOf(entity.Group)}.{entity.ApiVersion}.{entity.Kind}";
    }
}

for (var changed = true; changed;)
{
    changed = false;
    foreach (var type in models.Where(names.ContainsKey).ToList())
    {
        var package = names[type][..names[type].LastIndexOf('.')];
        package = package[..package.LastIndexOf('.')];
        foreach (var used in type.GetProperties().Select(p => ModelOf(p.PropertyType)).OfType<Type>().Where(t => models.Contains(t) && !names.ContainsKey(t)))
        {
            var match = Regex.Match(used.Name, "^(?:[A-Z][a-z]+)?(V[0-9]+(?:alpha[0-9]+|beta[0-9]+)?)([A-Z].*)$");
            names[used] = $"{package}.{match.Groups[1].Value.ToLowerInvariant()}.{match.Groups[2].Value}";
            changed = true;
        }
    }
}

var unnamed = models.Where(t => !names.ContainsKey(t)).Select(t => t.Name).ToList();
if (unnamed.Count > 0)
{
    Console.Error.WriteLine("types used by no kind (left out): " + string.Join(", ", unnamed));
}

var definitions = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
var newFieldsWithoutMarkers = new List<string>();
foreach (var (type, name) in names)
{
    definitions[name] = Definition(type, name);
}

// Definitions the models have no class for (Time, MicroTime, Quantity, IntOrString, RawExtension, JSON, FieldsV1 …)
// are strings or open objects; their schemas are 1.21.2's.
for (var missing = MissingRefs(); missing.Count > 0; missing = MissingRefs())
{
    foreach (var name in missing)
    {
        definitions[name] = reference[name] is JsonObject known ? (JsonObject)known.DeepClone()
            : throw new InvalidOperationException($"no schema for referenced definition {name}");
    }
}

Directory.CreateDirectory(outDir);
var output = Path.Combine(outDir, $"kubernetes-openapi-{version}.json");
await using (var writer = new StreamWriter(output))
{
    await writer.WriteAsync("{\"definitions\": {\n");
    await writer.WriteAsync(string.Join(",\n", definitions.Select(d => $"{JsonSerializer.Serialize(d.Key)}: {d.Value.ToJsonString()}")));
    await writer.WriteAsync("}}\n");
}

Console.WriteLine($"wrote {output}: {definitions.Count} definitions of Kubernetes {version}");
Console.WriteLine($"fields 1.21.2 lacks that are lists of objects (no list markers known): {newFieldsWithoutMarkers.Count}");
foreach (var field in newFieldsWithoutMarkers)
{
    Console.WriteLine("  " + field);
}

JsonObject Definition(Type type, string name)
{
    var known = reference[name] as JsonObject;
    var definition = new JsonObject();
    if (Doc("T:" + type.FullName) is { Length: > 0 } description)
    {
        definition["description"] = SameText(known?["description"], description) ? known!["description"]!.DeepClone() : description;
    }

    definition["type"] = "object";
    var fields = type.GetProperties().Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name).OfType<string>().ToHashSet();
    if (known?["required"] is JsonArray required && required.Select(r => r!.GetValue<string>()).Where(fields.Contains).ToList() is { Count: > 0 } kept)
    {
        definition["required"] = new JsonArray(kept.Select(r => (JsonNode?)r).ToArray());
    }

    var properties = new JsonObject();
    foreach (var property in type.GetProperties().OrderBy(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, StringComparer.Ordinal))
    {
        if (property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name is not { } field)
        {
            continue;
        }

        properties[field] = Property(type, property, known?["properties"]?[field] as JsonObject, $"{name}.{field}");
    }

    if (properties.Count > 0)
    {
        definition["properties"] = properties;
    }

    foreach (var (key, value) in known ?? [])
    {
        if (key.StartsWith("x-kubernetes-", StringComparison.Ordinal) && key != "x-kubernetes-group-version-kind")
        {
            definition[key] = value!.DeepClone();
        }
    }

    if (known?["x-kubernetes-group-version-kind"] is { } gvks)
    {
        definition["x-kubernetes-group-version-kind"] = gvks.DeepClone();
    }
    else if (type.GetCustomAttribute<KubernetesEntityAttribute>() is { } entity)
    {
        definition["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject
        {
            ["group"] = entity.Group, ["kind"] = entity.Kind, ["version"] = entity.ApiVersion,
        });
    }

    return definition;
}

JsonObject Property(Type owner, PropertyInfo property, JsonObject? known, string path)
{
    var description = Doc($"P:{owner.FullName}.{property.Name}");
    var schema = TypeSchema(property.PropertyType);
    if (known is not null && (schema is null || SameShape(known, schema)))
    {
        schema = (JsonObject)known.DeepClone();
    }
    else if (schema is null)
    {
        schema = [];
    }
    else if (known is not null)
    {
        foreach (var (key, value) in known.Where(p => p.Key.StartsWith("x-kubernetes-", StringComparison.Ordinal)).ToList())
        {
            schema[key] = value!.DeepClone();
        }
    }
    else if (schema["items"]?["$ref"] is not null)
    {
        newFieldsWithoutMarkers.Add(path);
    }

    var result = new JsonObject();
    if (description.Length > 0)
    {
        result["description"] = SameText(known?["description"], description) ? known!["description"]!.DeepClone() : description;
    }

    foreach (var (key, value) in schema.Where(p => p.Key != "description").ToList())
    {
        result[key] = value!.DeepClone();
    }

    return result;
}

// The schema a C# property type stands for; null for object (RawExtension, JSON, FieldsV1: 1.21.2 says which; a
// field 1.21.2 lacks gets the empty schema, any value).
JsonObject? TypeSchema(Type type)
{
    type = Nullable.GetUnderlyingType(type) ?? type;
    if (type == typeof(string))
    {
        return new JsonObject { ["type"] = "string" };
    }

    if (type == typeof(bool))
    {
        return new JsonObject { ["type"] = "boolean" };
    }

    if (type == typeof(int) || type == typeof(long))
    {
        return new JsonObject { ["type"] = "integer", ["format"] = type == typeof(int) ? "int32" : "int64" };
    }

    if (type == typeof(double))
    {
        return new JsonObject { ["type"] = "number", ["format"] = "double" };
    }

    if (type == typeof(byte[]))
    {
        return new JsonObject { ["type"] = "string", ["format"] = "byte" };
    }

    if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
    {
        return Ref("io.k8s.apimachinery.pkg.apis.meta.v1.Time");
    }

    if (type == typeof(IntOrString))
    {
        return Ref("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
    }

    if (type == typeof(ResourceQuantity))
    {
        return Ref("io.k8s.apimachinery.pkg.api.resource.Quantity");
    }

    if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>))
    {
        return new JsonObject { ["type"] = "array", ["items"] = TypeSchema(type.GetGenericArguments()[0]) ?? [] };
    }

    if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>))
    {
        return new JsonObject { ["type"] = "object", ["additionalProperties"] = TypeSchema(type.GetGenericArguments()[1]) ?? [] };
    }

    if (names.TryGetValue(type, out var name))
    {
        return Ref(name);
    }

    return type == typeof(object) ? null : throw new InvalidOperationException($"no schema for {type}");
}

static JsonObject Ref(string name) => new() { ["$ref"] = "#/definitions/" + name };

// 1.21.2's field schema still fits when it names the same definition, or the same JSON type (its format and markers
// are then kept: Time or MicroTime, int-or-string); an object in the package (any value) fits any schema there.
static bool SameShape(JsonObject known, JsonObject generated)
{
    static string Shape(JsonNode? node) => node switch
    {
        JsonObject o when o["$ref"] is { } r => "ref:" + r.GetValue<string>(),
        JsonObject o when o["type"]?.GetValue<string>() == "array" => "array:" + Shape(o["items"]),
        JsonObject o when o["additionalProperties"] is { } v => "map:" + Shape(v),
        JsonObject o => o["type"]?.GetValue<string>() ?? "any",
        _ => "any",
    };

    var (a, b) = (Shape(known), Shape(generated));
    return a == b || (b.EndsWith("any", StringComparison.Ordinal) && a.StartsWith(b[..^3], StringComparison.Ordinal)) || (b.EndsWith("ref:#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time", StringComparison.Ordinal)
        && a.EndsWith("ref:#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime", StringComparison.Ordinal));
}

// The package documents line-wrap descriptions: the same text as 1.21.2's keeps 1.21.2's line breaks.
static bool SameText(JsonNode? known, string text) =>
    known is JsonValue v && Regex.Replace(v.GetValue<string>(), "\\s+", " ").Trim() == text;

string Doc(string member) => docs.TryGetValue(member, out var text) ? text : "";

static string Text(XElement? summary) => summary is null ? "" : Regex.Replace(summary.Value, "\\s+", " ").Trim();

static Type? ModelOf(Type type)
{
    type = Nullable.GetUnderlyingType(type) ?? type;
    return type.IsGenericType ? ModelOf(type.GetGenericArguments()[^1]) : type;
}

// The class names KubernetesClient gives a definition: V1PodSpec, or with its group's package (Corev1Event).
static IEnumerable<string> ClassNamesOf(string definition)
{
    var parts = definition.Split('.');
    var at = Array.FindLastIndex(parts, p => Regex.IsMatch(p, "^v[0-9]+(alpha[0-9]+|beta[0-9]+)?$"));
    if (at < 1 || at != parts.Length - 2)
    {
        yield break;
    }

    var versionKind = char.ToUpperInvariant(parts[at][0]) + parts[at][1..] + parts[^1];
    yield return versionKind;
    yield return char.ToUpperInvariant(parts[at - 1][0]) + parts[at - 1][1..] + parts[at] + parts[^1];
}

static string PackageOf(string group) => group switch
{
    "" => "io.k8s.api.core",
    "apiextensions.k8s.io" => "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
    "apiregistration.k8s.io" => "io.k8s.kube-aggregator.pkg.apis.apiregistration",
    "internal.apiserver.k8s.io" => "io.k8s.api.apiserverinternal",
    _ => "io.k8s.api." + group.Split('.')[0],
};

List<string> MissingRefs()
{
    var missing = new SortedSet<string>(StringComparer.Ordinal);
    foreach (var definition in definitions.Values)
    {
        foreach (var r in Refs(definition))
        {
            var name = r[(r.LastIndexOf('/') + 1)..];
            if (!definitions.ContainsKey(name))
            {
                missing.Add(name);
            }
        }
    }

    return [.. missing];
}

static IEnumerable<string> Refs(JsonNode? node) => node switch
{
    JsonObject o => o.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue v ? [v.GetValue<string>()] : Refs(p.Value)),
    JsonArray a => a.SelectMany(Refs),
    _ => [],
};
