using System.Text.Json.Nodes;

namespace Weir.Core.Objects;

/// <summary>
/// Typed accessors over a Kubernetes object held as a <see cref="JsonObject"/>. Getters never throw on a
/// missing or mistyped field; they return empty values. Setters create <c>metadata</c> as needed.
/// </summary>
public static class KubeObject
{
    public static string ApiVersion(this JsonObject obj) => GetString(obj, "apiVersion");

    public static string Kind(this JsonObject obj) => GetString(obj, "kind");

    public static GroupVersionKind Gvk(this JsonObject obj) => GroupVersionKind.From(obj.ApiVersion(), obj.Kind());

    public static string Name(this JsonObject obj) => GetString(Metadata(obj), "name");

    public static string Namespace(this JsonObject obj) => GetString(Metadata(obj), "namespace");

    public static ObjectKey Key(this JsonObject obj) => new(obj.Namespace(), obj.Name());

    public static string Uid(this JsonObject obj) => GetString(Metadata(obj), "uid");

    public static string ResourceVersion(this JsonObject obj) => GetString(Metadata(obj), "resourceVersion");

    public static long Generation(this JsonObject obj) =>
        Metadata(obj)?["generation"] is JsonValue v && v.TryGetValue<long>(out var g) ? g : 0;

    public static IReadOnlyDictionary<string, string> Labels(this JsonObject obj) => StringMap(Metadata(obj), "labels");

    public static IReadOnlyDictionary<string, string> Annotations(this JsonObject obj) => StringMap(Metadata(obj), "annotations");

    public static string? Label(this JsonObject obj, string key) => obj.Labels().GetValueOrDefault(key);

    public static string? Annotation(this JsonObject obj, string key) => obj.Annotations().GetValueOrDefault(key);

    public static IReadOnlyList<OwnerReference> OwnerReferences(this JsonObject obj)
    {
        if (Metadata(obj)?["ownerReferences"] is not JsonArray refs)
        {
            return [];
        }

        return refs.OfType<JsonObject>()
            .Select(r => new OwnerReference(
                GetString(r, "apiVersion"), GetString(r, "kind"), GetString(r, "name"), GetString(r, "uid"),
                r["controller"] is JsonValue c && c.TryGetValue<bool>(out var isController) && isController,
                r["blockOwnerDeletion"] is JsonValue b && b.TryGetValue<bool>(out var blocks) && blocks))
            .ToList();
    }

    public static void SetName(this JsonObject obj, string name) => EnsureMetadata(obj)["name"] = name;

    public static void SetNamespace(this JsonObject obj, string? ns)
    {
        if (string.IsNullOrEmpty(ns))
        {
            Metadata(obj)?.Remove("namespace");
        }
        else
        {
            EnsureMetadata(obj)["namespace"] = ns;
        }
    }

    public static void SetLabel(this JsonObject obj, string key, string value) => EnsureMap(obj, "labels")[key] = value;

    public static void SetAnnotation(this JsonObject obj, string key, string value) => EnsureMap(obj, "annotations")[key] = value;

    public static bool RemoveLabel(this JsonObject obj, string key) => Metadata(obj)?["labels"] is JsonObject m && m.Remove(key);

    public static bool RemoveAnnotation(this JsonObject obj, string key) => Metadata(obj)?["annotations"] is JsonObject m && m.Remove(key);

    public static JsonObject? Metadata(this JsonObject obj) => obj["metadata"] as JsonObject;

    public static JsonObject EnsureMetadata(this JsonObject obj) => EnsureObject(obj, "metadata");

    /// <summary>Returns the child object at <paramref name="key"/>, replacing anything that is not an object.</summary>
    public static JsonObject EnsureObject(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    private static JsonObject EnsureMap(JsonObject obj, string key) => EnsureObject(EnsureMetadata(obj), key);

    private static string GetString(JsonObject? obj, string key) =>
        obj?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static Dictionary<string, string> StringMap(JsonObject? parent, string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parent?[key] is JsonObject map)
        {
            foreach (var (k, v) in map)
            {
                if (v is JsonValue value && value.TryGetValue<string>(out var s))
                {
                    result[k] = s;
                }
            }
        }

        return result;
    }
}

/// <summary>One entry of <c>metadata.ownerReferences</c>.</summary>
public sealed record OwnerReference(string ApiVersion, string Kind, string Name, string Uid, bool Controller, bool BlockOwnerDeletion);
