using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Helm.Charts;

/// <summary>
/// Reads fields of decoded YAML as Go's <c>encoding/json</c> fills a struct (what sigs.k8s.io/yaml does to Chart.yaml):
/// keys match field names case-insensitively, <c>null</c> leaves a field as it was, and a value of the wrong JSON kind
/// fails with Go's <c>json: cannot unmarshal … into Go struct field …</c> message.
/// </summary>
internal readonly struct GoJsonFields
{
    private readonly JsonObject obj;
    private readonly string structName;
    private readonly string pathPrefix;

    public GoJsonFields(JsonObject obj, string structName, string pathPrefix = "")
    {
        this.obj = obj;
        this.structName = structName;
        this.pathPrefix = pathPrefix;
    }

    /// <summary>Opens a decoded document as the struct <paramref name="structName"/>; anything but a mapping is Go's error.</summary>
    public static GoJsonFields Open(JsonNode? node, string structName, string goTypeName, string pathPrefix = "", string? owner = null)
    {
        if (node is JsonObject o)
        {
            return new GoJsonFields(o, structName, pathPrefix);
        }

        throw TypeError(node, owner ?? structName, pathPrefix.TrimEnd('.'), goTypeName);
    }

    /// <summary>The value under <paramref name="field"/>, exact spelling first, then any casing (as Go matches).</summary>
    public bool TryGet(string field, out JsonNode? value)
    {
        if (obj.TryGetPropertyValue(field, out value))
        {
            return true;
        }

        foreach (var (key, v) in obj)
        {
            if (string.Equals(key, field, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }

        value = null;
        return false;
    }

    public string Path(string field) => pathPrefix + field;

    public string? String(string field)
    {
        if (!TryGet(field, out var v) || v is null)
        {
            return null;
        }

        return v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw TypeError(v, structName, Path(field), "string");
    }

    public bool? Bool(string field)
    {
        if (!TryGet(field, out var v) || v is null)
        {
            return null;
        }

        return v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw TypeError(v, structName, Path(field), "bool"),
        };
    }

    /// <summary>A <c>[]string</c>; a JSON null sets it to nil (an empty list here).</summary>
    public List<string>? Strings(string field)
    {
        if (!TryGet(field, out var v))
        {
            return null;
        }

        if (v is null)
        {
            return [];
        }

        if (v is not JsonArray array)
        {
            throw TypeError(v, structName, Path(field), "[]string");
        }

        var list = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (item is null)
            {
                list.Add("");
            }
            else if (item.GetValueKind() == JsonValueKind.String)
            {
                list.Add(item.GetValue<string>());
            }
            else
            {
                throw TypeError(item, structName, Path(field), "string");
            }
        }

        return list;
    }

    public Dictionary<string, string>? StringMap(string field)
    {
        if (!TryGet(field, out var v))
        {
            return null;
        }

        if (v is null)
        {
            return [];
        }

        if (v is not JsonObject map)
        {
            throw TypeError(v, structName, Path(field), "map[string]string");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, item) in map)
        {
            if (item is null)
            {
                result[key] = "";
            }
            else if (item.GetValueKind() == JsonValueKind.String)
            {
                result[key] = item.GetValue<string>();
            }
            else
            {
                throw TypeError(item, structName, Path(field), "string");
            }
        }

        return result;
    }

    /// <summary>A list of structs (Go <c>[]*T</c>); null elements stay null, as Go keeps nil pointers.</summary>
    public List<T?>? Structs<T>(string field, string elementStruct, string elementType, Func<GoJsonFields, T> read)
        where T : class
    {
        if (!TryGet(field, out var v))
        {
            return null;
        }

        if (v is null)
        {
            return null;
        }

        if (v is not JsonArray array)
        {
            throw TypeError(v, structName, Path(field), "[]" + elementType);
        }

        var list = new List<T?>(array.Count);
        foreach (var item in array)
        {
            list.Add(item is null ? null : read(Open(item, elementStruct, elementType, Path(field) + ".", structName)));
        }

        return list;
    }

    /// <summary>A <c>[]interface{}</c>: the elements as decoded.</summary>
    public List<JsonNode?>? Anys(string field)
    {
        if (!TryGet(field, out var v))
        {
            return null;
        }

        if (v is null)
        {
            return [];
        }

        return v is JsonArray array
            ? array.Select(n => n?.DeepClone()).ToList()
            : throw TypeError(v, structName, Path(field), "[]interface {}");
    }

    public static ChartException TypeError(JsonNode? value, string structName, string path, string goType)
    {
        var kind = value?.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "bool",
            JsonValueKind.Array => "array",
            JsonValueKind.Object => "object",
            _ => "null",
        };
        var field = path.Length == 0 ? $"Go value of type {goType}" : $"Go struct field {structName}.{path} of type {goType}";
        return new ChartException($"error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into {field}");
    }
}
