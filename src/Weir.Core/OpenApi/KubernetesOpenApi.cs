using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Core.OpenApi;

/// <summary>How a list field merges under a strategic merge patch.</summary>
/// <param name="Strategy">The <c>x-kubernetes-patch-strategy</c> (for example <c>merge</c>, <c>replace</c>, <c>retainKeys</c>), or empty.</param>
/// <param name="MergeKey">The <c>x-kubernetes-patch-merge-key</c>, or empty.</param>
/// <param name="ListType">The <c>x-kubernetes-list-type</c> (<c>atomic</c>, <c>set</c>, <c>map</c>), or empty.</param>
/// <param name="ListMapKeys">The <c>x-kubernetes-list-map-keys</c>, or empty.</param>
public sealed record PatchMeta(string Strategy, string MergeKey, string ListType, IReadOnlyList<string> ListMapKeys)
{
    public static PatchMeta None { get; } = new("", "", "", []);

    /// <summary>The keys that identify a list element: the list-map keys when declared, else the merge key.</summary>
    public IReadOnlyList<string> ElementKeys => ListMapKeys.Count > 0 ? ListMapKeys : MergeKey.Length > 0 ? [MergeKey] : [];

    public bool MergesList => Strategy.Split(',').Contains("merge");
}

/// <summary>
/// Kubernetes OpenAPI definitions (see NOTICE.md beside this file), embedded in Weir.Core and loaded on first use.
/// Answers the questions a strategic merge patch asks: which definition describes a kind, and how a field merges.
/// Two documents: <see cref="Instance"/>, Kubernetes 1.21.2's, is the schema kustomize builds with (kyaml's built-in
/// one); <see cref="Server"/>, the Kubernetes version the embedded API server reports, is the one it validates,
/// applies and explains with.
/// </summary>
public sealed class KubernetesOpenApi
{
    private static readonly Lazy<KubernetesOpenApi> Shared = new(() => Load("Weir.Core.OpenApi.kubernetes-openapi.json"));
    private static readonly Lazy<KubernetesOpenApi> ServerShared = new(() => Load("Weir.Core.OpenApi.kubernetes-openapi-server.json"));
    private readonly JsonObject _definitions;
    private readonly Dictionary<GroupVersionKind, string> _byGvk = [];
    private readonly Dictionary<GroupKind, string> _byGroupKind = [];

    private KubernetesOpenApi(JsonObject definitions)
    {
        _definitions = definitions;
        foreach (var (name, node) in definitions)
        {
            if (node?["x-kubernetes-group-version-kind"] is not JsonArray gvks)
            {
                continue;
            }

            foreach (var g in gvks.OfType<JsonObject>())
            {
                var gvk = new GroupVersionKind(
                    g["group"]?.GetValue<string>() ?? "", g["version"]?.GetValue<string>() ?? "", g["kind"]?.GetValue<string>() ?? "");
                _byGvk.TryAdd(gvk, name);
                _byGroupKind.TryAdd(gvk.GroupKind, name);
            }
        }
    }

    /// <summary>Kubernetes 1.21.2's definitions: kustomize's built-in schema.</summary>
    public static KubernetesOpenApi Instance => Shared.Value;

    /// <summary>The Kubernetes version of <see cref="Server"/>'s definitions, which the embedded API server reports.</summary>
    public const string ServerVersion = "v1.37.0";

    /// <summary>The definitions of <see cref="ServerVersion"/>: the embedded API server's.</summary>
    public static KubernetesOpenApi Server => ServerShared.Value;

    /// <summary>A schema from an OpenAPI (swagger) document with <c>definitions</c>, for custom resource schemas.</summary>
    public static KubernetesOpenApi FromDocument(JsonObject root) => new(root["definitions"] as JsonObject ?? []);

    /// <summary>The definition name for a GVK (falls back to the same group and kind at another version), or null.</summary>
    public string? DefinitionFor(GroupVersionKind gvk) =>
        _byGvk.TryGetValue(gvk, out var name) ? name : _byGroupKind.GetValueOrDefault(gvk.GroupKind);

    /// <summary>Every definition by name, as stored (callers that change one must copy it first).</summary>
    public IEnumerable<KeyValuePair<string, JsonObject>> AllDefinitions() =>
        _definitions.Where(p => p.Value is JsonObject).Select(p => KeyValuePair.Create(p.Key, (JsonObject)p.Value!));

    /// <summary>The raw schema of a named definition, or null.</summary>
    public JsonObject? Definition(string name) => _definitions[name] as JsonObject;

    /// <summary>The schema of a definition's property, with <c>$ref</c> left in place.</summary>
    public JsonObject? Property(JsonObject? schema, string field) => Resolve(schema)?["properties"]?[field] as JsonObject;

    /// <summary>Follows a <c>$ref</c> (and <c>allOf</c> with one entry) to the schema it names.</summary>
    public JsonObject? Resolve(JsonObject? schema)
    {
        for (var i = 0; i < 8 && schema is not null; i++)
        {
            if (schema["$ref"] is JsonValue r && r.TryGetValue<string>(out var reference))
            {
                schema = Definition(reference[(reference.LastIndexOf('/') + 1)..]);
            }
            else if (schema["allOf"] is JsonArray { Count: 1 } all)
            {
                schema = all[0] as JsonObject;
            }
            else
            {
                return schema;
            }
        }

        return schema;
    }

    /// <summary>The items schema of an array property, or null.</summary>
    public JsonObject? Items(JsonObject? schema) => Resolve(schema)?["items"] as JsonObject;

    /// <summary>The value schema of a map (<c>additionalProperties</c>), or null.</summary>
    public JsonObject? MapValues(JsonObject? schema) => Resolve(schema)?["additionalProperties"] as JsonObject;

    /// <summary>How the field described by <paramref name="propertySchema"/> merges.</summary>
    public static PatchMeta PatchMetaOf(JsonObject? propertySchema)
    {
        if (propertySchema is null)
        {
            return PatchMeta.None;
        }

        var mapKeys = propertySchema["x-kubernetes-list-map-keys"] is JsonArray keys
            ? keys.Select(k => k?.GetValue<string>() ?? "").Where(k => k.Length > 0).ToList()
            : [];
        return new PatchMeta(Str(propertySchema, "x-kubernetes-patch-strategy"), Str(propertySchema, "x-kubernetes-patch-merge-key"),
            Str(propertySchema, "x-kubernetes-list-type"), mapKeys);
    }

    /// <summary>Patch metadata for a field path (object field names; list items are crossed implicitly) under a GVK.</summary>
    public PatchMeta PatchMetaFor(GroupVersionKind gvk, IEnumerable<string> fieldPath)
    {
        var name = DefinitionFor(gvk);
        JsonObject? schema = name is null ? null : Definition(name);
        JsonObject? property = null;
        foreach (var field in fieldPath)
        {
            if (schema is null)
            {
                return PatchMeta.None;
            }

            var resolved = Resolve(schema);
            if (resolved?["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type == "array")
            {
                resolved = Resolve(Items(resolved));
            }

            property = Property(resolved, field);
            schema = property;
        }

        return PatchMetaOf(property);
    }

    private static string Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static KubernetesOpenApi Load(string resource)
    {
        using var stream = typeof(KubernetesOpenApi).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException("embedded Kubernetes OpenAPI reference is missing");
        var root = JsonNode.Parse(stream) as JsonObject ?? throw new InvalidOperationException("Kubernetes OpenAPI reference is not an object");
        return new KubernetesOpenApi(root["definitions"] as JsonObject ?? []);
    }
}
