using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Core.OpenApi;

namespace Weir.Cluster.Apply;

/// <summary>How server-side apply treats a list: replaced whole, a set of scalars, or a map of items by key fields.</summary>
public enum ListKind
{
    Atomic,
    Set,
    Map,
}

/// <summary>
/// One schema position as server-side apply sees it, read from the Kubernetes OpenAPI reference (built-in kinds) or a
/// CRD's structural schema: list semantics (<c>x-kubernetes-list-type</c>, list-map keys, or for built-ins the patch
/// merge key and strategy) and atomic maps (<c>x-kubernetes-map-type: atomic</c>).
/// </summary>
public sealed class TypeNode
{
    private const string ObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private readonly KubernetesOpenApi _api;
    private readonly JsonObject? _schema;
    private readonly bool _builtin;
    private readonly bool _root;

    private TypeNode(KubernetesOpenApi api, JsonObject? schema, bool builtin, bool root = false)
    {
        _api = api;
        _schema = api.Resolve(schema);
        _builtin = builtin;
        _root = root;
    }

    /// <summary>The root of a resource type's objects.</summary>
    public static TypeNode For(ResourceType t) => new(KubernetesOpenApi.Server, t.Strategy.Schema?.Root, !t.IsCustom, root: true);

    /// <summary>A position with no schema: maps are granular, lists atomic.</summary>
    public static TypeNode Untyped { get; } = new(KubernetesOpenApi.Server, null, builtin: false);

    public bool IsBuiltin => _builtin;

    public bool IsAtomicMap => Str(_schema, "x-kubernetes-map-type") == "atomic";

    public TypeNode Field(string name)
    {
        if (_root && name == "metadata")
        {
            return new TypeNode(_api, _api.Definition(ObjectMeta), _builtin);
        }
        var property = _api.Property(_schema, name) ?? _api.MapValues(_schema);
        return new TypeNode(_api, property, _builtin);
    }

    public TypeNode Items => new(_api, _api.Items(_schema), _builtin);

    public ListKind List => Semantics().Kind;

    public IReadOnlyList<string> Keys => Semantics().Keys;

    private (ListKind Kind, IReadOnlyList<string> Keys) Semantics()
    {
        var meta = KubernetesOpenApi.PatchMetaOf(_schema);
        switch (meta.ListType)
        {
            case "map":
                return (ListKind.Map, meta.ElementKeys);
            case "set":
                return (ListKind.Set, []);
            case "atomic":
                return (ListKind.Atomic, []);
        }
        if (meta.MergesList)
        {
            return meta.MergeKey.Length > 0 ? (ListKind.Map, [meta.MergeKey]) : (ListKind.Set, []);
        }
        return (ListKind.Atomic, []);
    }

    /// <summary>The path element naming a list item: <c>k:{...}</c> for list maps, <c>v:...</c> for sets, else <c>i:N</c>.</summary>
    public string ItemElement(JsonNode? item, int index)
    {
        var (kind, keys) = Semantics();
        if (kind == ListKind.Set && item is not JsonObject and not JsonArray)
        {
            return "v:" + (item?.ToJsonString(JsonText.Options) ?? "null");
        }
        if (kind == ListKind.Map && item is JsonObject o && keys.Count > 0)
        {
            var itemType = Items;
            var key = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var k in keys)
            {
                var value = o[k]?.DeepClone() ?? itemType.KeyDefault(k);
                if (value is not null)
                {
                    key[k] = value;
                }
            }
            var json = new JsonObject();
            foreach (var (k, v) in key)
            {
                json[k] = v;
            }
            return "k:" + json.ToJsonString(JsonText.Options);
        }
        return "i:" + index;
    }

    // Newer Kubernetes schemas default the protocol list-map key; the 1.21 reference lacks the default.
    private JsonNode? KeyDefault(string field) =>
        _api.Property(_schema, field)?["default"]?.DeepClone() ?? (_builtin && field == "protocol" ? JsonValue.Create("TCP") : null);

    private static string Str(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
}
