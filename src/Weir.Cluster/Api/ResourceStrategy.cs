using System.Text.Json.Nodes;
using Weir.Cluster.Printing;
using Weir.Cluster.Schema;

namespace Weir.Cluster.Api;

/// <summary>
/// A schema and how to apply it to an object of one kind; custom resources also get the schema's defaults and its
/// <c>x-kubernetes-validations</c> rules.
/// </summary>
public sealed record SchemaBinding(JsonObject Root, SchemaOptions Options, IReadOnlyCollection<string> SkipRootFields)
{
    /// <summary>Fill in the schema's <c>default</c> values before validating (structural schemas of CRDs).</summary>
    public bool ApplyDefaults { get; init; }

    public SchemaRules? Rules { get; init; }
}

/// <summary>
/// Kind-specific behaviour plugged into the one generic registry: defaulting, validation, printing, status/spec split
/// and field selectors. The base class is what a plain kind gets.
/// </summary>
public class ResourceStrategy
{
    public virtual bool HasStatusSubresource => false;

    public virtual bool HasScaleSubresource => false;

    /// <summary>Whether <c>metadata.generation</c> is kept (bumped when anything outside metadata and status changes).</summary>
    public virtual bool TracksGeneration => false;

    public virtual NameRule NameRule => NameRule.Subdomain;

    public virtual TableConvertor Table => TableConvertor.Default;

    /// <summary>False for custom resources: strategic merge patch needs Go struct tags they do not have.</summary>
    public virtual bool AcceptsStrategicMerge => true;

    /// <summary>The schema that validates and prunes this kind's objects, if any.</summary>
    public virtual SchemaBinding? Schema => null;

    /// <summary>Fills defaults on create and update.</summary>
    public virtual void Default(JsonObject obj)
    {
    }

    /// <summary>Server-set fields on create (after defaulting).</summary>
    public virtual void PrepareForCreate(JsonObject obj)
    {
    }

    /// <summary>Carries server-owned fields from the stored object into an update.</summary>
    public virtual void PrepareForUpdate(JsonObject obj, JsonObject old)
    {
    }

    public virtual IEnumerable<FieldError> Validate(JsonObject obj) => [];

    public virtual IEnumerable<FieldError> ValidateUpdate(JsonObject obj, JsonObject old) => [];

    /// <summary>The value of a field selector field beyond metadata.name/namespace, or null when unsupported.</summary>
    public virtual string? FieldValue(JsonObject obj, string field) => null;

    protected static string Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    protected static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            node = node is JsonObject o ? o[p] : null;
        }
        return node;
    }

    protected static JsonObject Ensure(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject o)
        {
            return o;
        }
        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    protected static IEnumerable<FieldError> Immutable(JsonObject obj, JsonObject old, params string[] path)
    {
        var now = At(obj, path);
        var before = At(old, path);
        if (!JsonNode.DeepEquals(now, before))
        {
            var field = string.Join(".", path);
            yield return new FieldError(field, "FieldValueInvalid", $"Invalid value: {Show(now)}: field is immutable");
        }
    }

    /// <summary>
    /// Kubernetes' rule for Secrets and ConfigMaps stored with <c>immutable: true</c>: the flag stays true and
    /// <paramref name="fields"/> keep their content (an empty map counts as none).
    /// </summary>
    protected static IEnumerable<FieldError> FrozenWhenImmutable(JsonObject obj, JsonObject old, params string[] fields)
    {
        if (!IsTrue(old["immutable"]))
        {
            yield break;
        }

        const string Detail = "field is immutable when `immutable` is set";
        if (!IsTrue(obj["immutable"]))
        {
            yield return FieldError.Forbidden("immutable", Detail);
        }

        foreach (var field in fields)
        {
            if (!JsonNode.DeepEquals(NonEmpty(obj[field]), NonEmpty(old[field])))
            {
                yield return FieldError.Forbidden(field, Detail);
            }
        }
    }

    private static bool IsTrue(JsonNode? n) => n is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static JsonNode? NonEmpty(JsonNode? n) => n is JsonObject { Count: 0 } ? null : n;

    private static string Show(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? $"\"{s}\"" : n?.ToJsonString(JsonText.Options) ?? "null";
}

/// <summary>A built-in kind: schema from the embedded Kubernetes OpenAPI reference, columns from kubectl's usual set.</summary>
public class BuiltinStrategy(string group, string version, string kind, bool status = false, bool generation = false) : ResourceStrategy
{
    private readonly Lazy<SchemaBinding?> _schema = new(() => LoadSchema(group, version, kind));

    public string Kind { get; } = kind;

    public override bool HasStatusSubresource => status;

    public override bool TracksGeneration => generation;

    public override TableConvertor Table => BuiltinTables.For(Kind);

    public override SchemaBinding? Schema => _schema.Value;

    /// <summary>The definition name of a built-in kind.</summary>
    internal static string? DefinitionName(string group, string version, string kind) =>
        BuiltinSchemas.Instance.DefinitionFor(group, version, kind);

    private static SchemaBinding? LoadSchema(string group, string version, string kind)
    {
        var name = DefinitionName(group, version, kind);
        if (name is null || !BuiltinSchemas.Instance.Definitions.TryGetValue(name, out var def))
        {
            return null;
        }
        var options = new SchemaOptions { Resolve = BuiltinSchemas.Instance.Resolve, OpenEmptyObjects = true };
        return new SchemaBinding(def, options, ["apiVersion", "kind", "metadata"]);
    }
}
