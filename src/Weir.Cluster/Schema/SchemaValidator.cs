using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Cluster.Api;

namespace Weir.Cluster.Schema;

/// <summary>How to treat a schema while walking an object.</summary>
public sealed record SchemaOptions
{
    /// <summary>Resolves a <c>$ref</c> string to its schema.</summary>
    public required Func<string, JsonObject?> Resolve { get; init; }

    /// <summary>An <c>object</c> schema with neither properties nor additionalProperties keeps any content (built-in schemas such as RawExtension).</summary>
    public bool OpenEmptyObjects { get; init; }
}

/// <summary>The outcome of walking an object against its schema.</summary>
public sealed class SchemaResult
{
    public List<FieldError> Errors { get; } = [];
    public List<FieldError> TypeErrors { get; } = [];
    public List<string> UnknownFields { get; } = [];
}

/// <summary>
/// Validates a JSON value against an OpenAPI (v2 definitions or v3 structural) schema: types, int-or-string, required,
/// enum, pattern, format, bounds. Unknown fields are recorded and pruned.
/// </summary>
public static class SchemaValidator
{
    public static SchemaResult Validate(JsonObject root, JsonObject schema, SchemaOptions options, IReadOnlyCollection<string>? skipRootFields = null)
    {
        var result = new SchemaResult();
        WalkObject(root, Resolve(schema, options), "", options, result, skipRootFields ?? []);
        return result;
    }

    private static JsonObject Resolve(JsonObject schema, SchemaOptions options)
    {
        for (var i = 0; i < 20; i++)
        {
            if (schema["$ref"] is JsonValue r && r.TryGetValue<string>(out var reference))
            {
                var target = options.Resolve(reference);
                if (target is null)
                {
                    return [];
                }
                schema = target;
                continue;
            }
            if (schema["allOf"] is JsonArray { Count: 1 } all && all[0] is JsonObject only && schema["properties"] is null && schema["type"] is null)
            {
                schema = only;
                continue;
            }
            break;
        }
        return schema;
    }

    private static string Join(string path, string field) => path == "" ? field : $"{path}.{field}";

    private static bool PreservesUnknown(JsonObject schema) =>
        schema["x-kubernetes-preserve-unknown-fields"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static bool IsIntOrString(JsonObject schema) =>
        (schema["x-kubernetes-int-or-string"] is JsonValue v && v.TryGetValue<bool>(out var b) && b) ||
        (schema["format"] is JsonValue f && f.TryGetValue<string>(out var s) && s == "int-or-string");

    private static string? TypeOf(JsonObject schema) => schema["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;

    private static void Walk(JsonNode? value, JsonObject rawSchema, string path, SchemaOptions options, SchemaResult result)
    {
        var schema = Resolve(rawSchema, options);
        if (value is null)
        {
            return;
        }
        if (IsIntOrString(schema))
        {
            if (!(IsInteger(value) || IsString(value)))
            {
                result.TypeErrors.Add(FieldError.TypeInvalid(path, value, $"{path} in body must be of type int-or-string: \"{JsonTypeName(value)}\""));
            }
            return;
        }
        var type = TypeOf(schema);
        switch (type)
        {
            case "object":
                if (value is not JsonObject obj)
                {
                    result.TypeErrors.Add(FieldError.TypeInvalid(path, value, $"{path} in body must be of type object: \"{JsonTypeName(value)}\""));
                    return;
                }
                WalkObject(obj, schema, path, options, result, []);
                break;
            case "array":
                if (value is not JsonArray arr)
                {
                    result.TypeErrors.Add(FieldError.TypeInvalid(path, value, $"{path} in body must be of type array: \"{JsonTypeName(value)}\""));
                    return;
                }
                CheckBounds(arr.Count, schema, "maxItems", "minItems", path, value, result, "items");
                if (schema["items"] is JsonObject itemSchema)
                {
                    for (var i = 0; i < arr.Count; i++)
                    {
                        if (arr[i] is null && !Nullable(Resolve(itemSchema, options)))
                        {
                            continue;
                        }
                        Walk(arr[i], itemSchema, $"{path}[{i}]", options, result);
                    }
                }
                break;
            case "string":
                if (!IsString(value))
                {
                    result.TypeErrors.Add(FieldError.TypeInvalid(path, value, $"{path} in body must be of type string: \"{JsonTypeName(value)}\""));
                    return;
                }
                CheckString(value.GetValue<string>(), schema, path, value, result);
                break;
            case "integer":
                if (!IsInteger(value))
                {
                    result.TypeErrors.Add(FieldError.TypeInvalid(path, value, $"{path} in body must be of type integer: \"{JsonTypeName(value)}\""));
                    return;
                }
                CheckNumber(value.GetValue<double>(), schema, path, value, result);
                break;
            case "number":
                if (!IsNumber(value))
                {
                    result.TypeErrors.Add(FieldError.TypeInvalid(path, value, $"{path} in body must be of type number: \"{JsonTypeName(value)}\""));
                    return;
                }
                CheckNumber(value.GetValue<double>(), schema, path, value, result);
                break;
            case "boolean":
                if (!(value is JsonValue b && b.TryGetValue<bool>(out _)))
                {
                    result.TypeErrors.Add(FieldError.TypeInvalid(path, value, $"{path} in body must be of type boolean: \"{JsonTypeName(value)}\""));
                }
                break;
            default:
                if (value is JsonObject o && (schema["properties"] is not null || schema["additionalProperties"] is JsonObject))
                {
                    WalkObject(o, schema, path, options, result, []);
                }
                break;
        }
        CheckEnum(value, schema, path, result);
    }

    private static bool Nullable(JsonObject schema) => schema["nullable"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static void WalkObject(JsonObject obj, JsonObject schema, string path, SchemaOptions options, SchemaResult result, IReadOnlyCollection<string> skip)
    {
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        var preserve = PreservesUnknown(schema) || (options.OpenEmptyObjects && properties is null && additional is null);
        foreach (var key in obj.Select(kv => kv.Key).ToList())
        {
            if (skip.Contains(key))
            {
                continue;
            }
            var child = obj[key];
            var fieldPath = Join(path, key);
            if (properties?[key] is JsonObject propSchema)
            {
                if (child is null && !Nullable(Resolve(propSchema, options)))
                {
                    obj.Remove(key);
                    continue;
                }
                Walk(child, propSchema, fieldPath, options, result);
            }
            else if (additional is JsonObject addSchema)
            {
                Walk(child, addSchema, fieldPath, options, result);
            }
            else if (additional is JsonValue av && av.TryGetValue<bool>(out var allowed) && allowed)
            {
                continue;
            }
            else if (!preserve)
            {
                result.UnknownFields.Add(fieldPath);
                obj.Remove(key);
            }
        }
        if (schema["required"] is JsonArray required)
        {
            foreach (var r in required)
            {
                var name = r?.GetValue<string>();
                if (name is not null && !skip.Contains(name) && obj[name] is null)
                {
                    result.Errors.Add(FieldError.Required(Join(path, name)));
                }
            }
        }
        CheckBounds(obj.Count, schema, "maxProperties", "minProperties", path, obj, result, "properties");
    }

    private static void CheckEnum(JsonNode value, JsonObject schema, string path, SchemaResult result)
    {
        if (schema["enum"] is JsonArray allowed && allowed.Count > 0 && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            result.Errors.Add(FieldError.NotSupported(path, value, allowed.Select(a => a is JsonValue v && v.TryGetValue<string>(out var s) ? s : a?.ToJsonString(JsonText.Options) ?? "null")));
        }
    }

    private static void CheckString(string s, JsonObject schema, string path, JsonNode value, SchemaResult result)
    {
        if (schema["maxLength"] is JsonValue max && s.Length > max.GetValue<long>())
        {
            result.Errors.Add(new FieldError(path, "FieldValueTooLong", $"Too long: may not be more than {max.GetValue<long>()} bytes"));
        }
        if (schema["minLength"] is JsonValue min && s.Length < min.GetValue<long>())
        {
            result.Errors.Add(FieldError.Invalid(path, value, $"{path} in body should be at least {min.GetValue<long>()} chars long"));
        }
        if (schema["pattern"] is JsonValue p && p.TryGetValue<string>(out var pattern) && !Regex.IsMatch(s, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            result.Errors.Add(FieldError.Invalid(path, value, $"{path} in body should match '{pattern}'"));
        }
        if (schema["format"] is JsonValue f && f.TryGetValue<string>(out var format) && !FormatChecks.Matches(format, s))
        {
            result.Errors.Add(FieldError.Invalid(path, value, $"{path} in body must be of type {format}: \"{s}\""));
        }
    }

    private static void CheckNumber(double n, JsonObject schema, string path, JsonNode value, SchemaResult result)
    {
        if (schema["maximum"] is JsonValue max && n > max.GetValue<double>())
        {
            result.Errors.Add(FieldError.Invalid(path, value, $"{path} in body should be less than or equal to {max.ToJsonString(JsonText.Options)}"));
        }
        if (schema["minimum"] is JsonValue min && n < min.GetValue<double>())
        {
            result.Errors.Add(FieldError.Invalid(path, value, $"{path} in body should be greater than or equal to {min.ToJsonString(JsonText.Options)}"));
        }
    }

    private static void CheckBounds(int count, JsonObject schema, string maxKey, string minKey, string path, JsonNode value, SchemaResult result, string noun)
    {
        if (schema[maxKey] is JsonValue max && count > max.GetValue<long>())
        {
            result.Errors.Add(new FieldError(path, "FieldValueTooMany", $"Too many: {count}: must have at most {max.GetValue<long>()} {noun}"));
        }
        if (schema[minKey] is JsonValue min && count < min.GetValue<long>())
        {
            result.Errors.Add(FieldError.Invalid(path, value, $"{path} in body should have at least {min.GetValue<long>()} {noun}"));
        }
    }

    private static bool IsString(JsonNode n) => n is JsonValue v && v.TryGetValue<string>(out _);

    private static bool IsNumber(JsonNode n) => n is JsonValue v && v.TryGetValue<double>(out _) && !v.TryGetValue<string>(out _);

    private static bool IsInteger(JsonNode n) => IsNumber(n) && n.GetValue<double>() is var d && Math.Floor(d) == d && !double.IsInfinity(d);

    private static string JsonTypeName(JsonNode n) => n switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.TryGetValue<string>(out _) => "string",
        JsonValue v when v.TryGetValue<bool>(out _) => "boolean",
        _ => IsInteger(n) ? "integer" : "number",
    };
}
