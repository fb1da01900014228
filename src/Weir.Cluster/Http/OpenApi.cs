using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Cluster.Schema;

namespace Weir.Cluster.Http;

/// <summary>
/// OpenAPI for clients: the v3 index and per group-version documents (built-in schemas from the embedded reference,
/// CRD schemas from their openAPIV3Schema), and the minimal protobuf v2 document kubectl 1.27/1.28 insist on.
/// </summary>
internal sealed class OpenApi(ResourceCatalog catalog, string kubernetesVersion)
{
    private const string MetaDefinition = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private readonly Dictionary<string, (long Generation, string Json, string Hash)> _cache = [];

    public static string PathKey(string group, string version) => group == "" ? $"api/{version}" : $"apis/{group}/{version}";

    public JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var (group, versions) in catalog.Groups())
        {
            foreach (var v in versions)
            {
                var key = PathKey(group, v);
                var (_, hash) = Document(group, v);
                paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={hash}" };
            }
        }
        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document for a group-version and its hash (changes whenever the document does).</summary>
    public (string Json, string Hash) Document(string group, string version)
    {
        var key = PathKey(group, version);
        lock (_cache)
        {
            if (_cache.TryGetValue(key, out var c) && c.Generation == catalog.Generation)
            {
                return (c.Json, c.Hash);
            }
        }
        var generation = catalog.Generation;
        var json = Build(group, version).ToJsonString(JsonText.Options);
        var hash = System.Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(json)))[..128];
        lock (_cache)
        {
            _cache[key] = (generation, json, hash);
        }
        return (json, hash);
    }

    public bool Serves(string group, string version) => catalog.All.Any(t => t.Group == group && t.Version == version);

    private JsonObject Build(string group, string version)
    {
        var types = catalog.All.Where(t => t.Group == group && t.Version == version).ToList();
        var paths = new JsonObject();
        var schemas = new JsonObject();
        var builtinRoots = new List<string> { MetaDefinition };
        foreach (var t in types)
        {
            var gvk = new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind };
            var prefix = group == "" ? $"/api/{version}" : $"/apis/{group}/{version}";
            var path = t.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{t.Plural}/{{name}}" : $"{prefix}/{t.Plural}/{{name}}";
            paths[path] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{t.Kind}",
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = gvk,
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } },
                        new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } },
                        new JsonObject { ["name"] = "dryRun", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } }),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
            if (t.IsCustom)
            {
                schemas[CustomSchemaName(t)] = CustomSchema(t);
                continue;
            }
            var defName = BuiltinStrategy.DefinitionName(t.Group, t.Version, t.Kind);
            if (defName is null)
            {
                continue;
            }
            builtinRoots.Add(defName);
            if (BuiltinSchemas.Instance.DefinitionFor(t.Group, t.Version, t.Kind) is null)
            {
                // Served under a version the reference lacks: publish the closest definition under this GVK.
                var copy = (JsonObject)Convert(BuiltinSchemas.Instance.Definitions[defName])!;
                copy["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone());
                schemas[$"io.k8s.api.{t.Group}.{t.Version}.{t.Kind}"] = copy;
            }
        }
        foreach (var name in BuiltinSchemas.Instance.Closure(builtinRoots))
        {
            if (BuiltinSchemas.Instance.Definitions.TryGetValue(name, out var def) && !schemas.ContainsKey(name))
            {
                schemas[name] = Convert(def);
            }
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = kubernetesVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static string CustomSchemaName(ResourceType t) =>
        string.Join(".", t.Group.Split('.').Reverse()) + $".{t.Version}.{t.Kind}";

    private static JsonObject CustomSchema(ResourceType t)
    {
        var schema = t.Strategy.Schema?.Root.DeepClone() as JsonObject ?? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        var props = schema["properties"] as JsonObject ?? [];
        schema["properties"] = props;
        props["apiVersion"] ??= new JsonObject { ["type"] = "string", ["description"] = "APIVersion defines the versioned schema of this representation of an object." };
        props["kind"] ??= new JsonObject { ["type"] = "string", ["description"] = "Kind is a string value representing the REST resource this object represents." };
        props["metadata"] = new JsonObject
        {
            ["description"] = "Standard object's metadata.",
            ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = $"#/components/schemas/{MetaDefinition}" }),
        };
        schema["type"] ??= "object";
        schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind });
        return schema;
    }

    /// <summary>Rewrites v2 references (#/definitions/X) to v3 (#/components/schemas/X).</summary>
    private static JsonNode? Convert(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (k, v) in o)
                {
                    if (k == "$ref" && v is JsonValue r && r.TryGetValue<string>(out var s))
                    {
                        copy[k] = s.Replace("#/definitions/", "#/components/schemas/", StringComparison.Ordinal);
                    }
                    else
                    {
                        copy[k] = Convert(v);
                    }
                }
                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Select(Convert)]);
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>gnostic openapi.v2.Document{swagger: "2.0", info: {title: "Kubernetes", version}} in protobuf wire form.</summary>
    public byte[] V2Protobuf()
    {
        var info = Concat(Field(1, "Kubernetes"), Field(2, kubernetesVersion));
        return Concat(Field(1, "2.0"), Field(2, info));
    }

    private static byte[] Field(int number, string value) => Field(number, Encoding.UTF8.GetBytes(value));

    private static byte[] Field(int number, byte[] value)
    {
        var result = new List<byte> { (byte)((number << 3) | 2) };
        var len = value.Length;
        while (len >= 0x80)
        {
            result.Add((byte)(len | 0x80));
            len >>= 7;
        }
        result.Add((byte)len);
        result.AddRange(value);
        return [.. result];
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    public JsonObject V2Json() => new()
    {
        ["swagger"] = "2.0",
        ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = kubernetesVersion },
        ["paths"] = new JsonObject(),
    };
}
