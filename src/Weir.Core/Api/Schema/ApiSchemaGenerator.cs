using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using Weir.Core.Conditions;

namespace Weir.Core.Api.Schema;

/// <summary>
/// Turns the C# API types into structural OpenAPI v3 schemas for CRDs: System.Text.Json's exporter gives the
/// shape, our attributes give constraints and descriptions, and the result is rewritten to the subset
/// Kubernetes accepts (single types, no $ref, no nulls).
/// </summary>
public static class ApiSchemaGenerator
{
    public static JsonObject For(JsonTypeInfo typeInfo)
    {
        var options = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = Transform,
        };
        var node = typeInfo.Options.GetJsonSchemaAsNode(typeInfo.Type, options);
        var schema = node as JsonObject ?? throw new InvalidOperationException($"schema of {typeInfo.Type} is not an object");
        schema.Remove("$schema");
        InlineReferences(schema, schema);
        return Ordered(schema);
    }

    private static readonly string[] KeyOrder =
    [
        "description", "type", "format", "enum", "pattern", "minLength", "maxLength", "minimum", "default",
        "x-kubernetes-preserve-unknown-fields", "required", "properties", "items", "additionalProperties",
        "x-kubernetes-validations",
    ];

    /// <summary>Puts keywords in a fixed, readable order (description first, nested schemas last), recursively.</summary>
    private static JsonObject Ordered(JsonObject schema)
    {
        var result = new JsonObject();
        foreach (var (key, value) in schema.OrderBy(kv => Array.IndexOf(KeyOrder, kv.Key) is var i and >= 0 ? i : KeyOrder.Length).ToList())
        {
            schema.Remove(key);
            result[key] = key switch
            {
                "properties" when value is JsonObject properties => new JsonObject(properties.ToList().Select(kv =>
                {
                    properties.Remove(kv.Key);
                    return KeyValuePair.Create(kv.Key, (JsonNode?)Ordered((JsonObject)kv.Value!));
                })),
                "items" or "additionalProperties" when value is JsonObject nested => Ordered(nested),
                _ => value,
            };
        }

        return result;
    }

    /// <summary>
    /// The exporter writes a repeated type once and points at it with <c>$ref</c>; structural schemas forbid
    /// references, so each one is replaced by a copy of its target (keeping the referrer's own keywords).
    /// </summary>
    private static void InlineReferences(JsonObject root, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference)
                {
                    obj.Remove("$ref");
                    var target = Resolve(root, reference.GetValue<string>());
                    foreach (var (key, value) in target)
                    {
                        if (!obj.ContainsKey(key))
                        {
                            obj[key] = value?.DeepClone();
                        }
                    }
                }

                foreach (var (_, child) in obj.ToList())
                {
                    InlineReferences(root, child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    InlineReferences(root, child);
                }

                break;
        }
    }

    private static JsonObject Resolve(JsonObject root, string pointer)
    {
        if (!pointer.StartsWith('#'))
        {
            throw new InvalidOperationException($"unsupported schema reference {pointer}");
        }

        JsonNode? current = root;
        foreach (var token in pointer[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var key = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            current = current is JsonArray array ? array[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] : current?[key];
        }

        return current as JsonObject ?? throw new InvalidOperationException($"schema reference {pointer} does not resolve");
    }

    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode node)
    {
        var schema = node as JsonObject ?? new JsonObject();
        var type = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;

        if (type == typeof(Condition))
        {
            schema = ConditionSchema();
        }
        else if (type == typeof(DateTimeOffset))
        {
            schema = new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }
        else if (type == typeof(JsonElement) || type == typeof(JsonNode) || type == typeof(JsonObject))
        {
            schema = new JsonObject { ["x-kubernetes-preserve-unknown-fields"] = true };
        }
        else
        {
            MakeSingleType(schema);
            if (type == typeof(int) || type == typeof(long))
            {
                schema["format"] = type == typeof(int) ? "int32" : "int64";
            }

            if (context.TypeInfo.Kind == JsonTypeInfoKind.Object)
            {
                ApplyTypeAttributes(context.TypeInfo, schema);
            }
        }

        if (context.PropertyInfo?.AttributeProvider is { } property)
        {
            ApplyPropertyAttributes(property, schema);
        }

        return schema;
    }

    private static void MakeSingleType(JsonObject schema)
    {
        if (schema["type"] is JsonArray types)
        {
            var nonNull = types.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToList();
            schema["type"] = nonNull.Count == 1
                ? nonNull[0]
                : throw new InvalidOperationException($"cannot express type union [{string.Join(", ", nonNull)}] structurally");
        }

        if (schema["enum"] is JsonArray values)
        {
            // Nullable enums list null as a value; Kubernetes enums must not.
            foreach (var nullValue in values.Where(v => v is null).ToList())
            {
                values.Remove(nullValue);
            }
        }
    }

    private static void ApplyTypeAttributes(JsonTypeInfo typeInfo, JsonObject schema)
    {
        var required = typeInfo.Properties
            .Where(p => p.AttributeProvider?.IsDefined(typeof(RequiredFieldAttribute), false) == true)
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        schema.Remove("required");
        if (required.Count > 0)
        {
            schema["required"] = new JsonArray([.. required.Select(r => JsonValue.Create(r))]);
        }

        if (typeInfo.Type.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Description;
        }

        var rules = typeInfo.Type.GetCustomAttributes<CelRuleAttribute>().ToList();
        if (rules.Count > 0)
        {
            schema["x-kubernetes-validations"] = new JsonArray(
                [.. rules.Select(r => new JsonObject { ["rule"] = r.Rule, ["message"] = r.Message })]);
        }
    }

    private static void ApplyPropertyAttributes(ICustomAttributeProvider property, JsonObject schema)
    {
        T? Get<T>() where T : Attribute => property.GetCustomAttributes(typeof(T), false).OfType<T>().FirstOrDefault();

        if (Get<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Description;
        }

        // For arrays of strings, value constraints describe the items.
        var target = schema["type"]?.GetValue<string>() == "array" && schema["items"] is JsonObject items ? items : schema;
        if (Get<PatternAttribute>() is { } pattern)
        {
            target["pattern"] = pattern.Pattern;
        }

        if (Get<EnumAttribute>() is { } values)
        {
            target["enum"] = new JsonArray([.. values.Values.Select(v => JsonValue.Create(v))]);
        }

        if (Get<LengthAttribute>() is { } length)
        {
            if (length.Min >= 0)
            {
                target["minLength"] = length.Min;
            }

            if (length.Max >= 0)
            {
                target["maxLength"] = length.Max;
            }
        }

        if (Get<MinimumAttribute>() is { } minimum)
        {
            target["minimum"] = minimum.Minimum;
        }

        if (Get<DefaultAttribute>() is { } defaultValue)
        {
            schema["default"] = JsonSerializer.SerializeToNode(defaultValue.Value, defaultValue.Value.GetType(), SchemaValueContext.Default);
        }

        if (Get<FreeFormAttribute>() is not null)
        {
            schema.Remove("type");
            schema["x-kubernetes-preserve-unknown-fields"] = true;
        }
    }

    /// <summary>Schema of <c>metav1.Condition</c>, with the API server's standard constraints.</summary>
    private static JsonObject ConditionSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "One aspect of the object's state, as a metav1.Condition.",
        ["required"] = new JsonArray("lastTransitionTime", "message", "reason", "status", "type"),
        ["properties"] = new JsonObject
        {
            ["lastTransitionTime"] = new JsonObject
            {
                ["type"] = "string",
                ["format"] = "date-time",
                ["description"] = "When status last changed.",
            },
            ["message"] = new JsonObject
            {
                ["type"] = "string",
                ["maxLength"] = 32768,
                ["description"] = "Human-readable details.",
            },
            ["observedGeneration"] = new JsonObject
            {
                ["type"] = "integer",
                ["format"] = "int64",
                ["minimum"] = 0,
                ["description"] = "Generation the condition was computed for.",
            },
            ["reason"] = new JsonObject
            {
                ["type"] = "string",
                ["minLength"] = 1,
                ["maxLength"] = 1024,
                ["pattern"] = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
                ["description"] = "CamelCase reason code.",
            },
            ["status"] = new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray("True", "False", "Unknown"),
                ["description"] = "True, False or Unknown.",
            },
            ["type"] = new JsonObject
            {
                ["type"] = "string",
                ["maxLength"] = 316,
                ["pattern"] = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                ["description"] = "Condition type, e.g. Ready.",
            },
        },
    };
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSerializable(typeof(bool))]
[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
[System.Text.Json.Serialization.JsonSerializable(typeof(long))]
internal sealed partial class SchemaValueContext : System.Text.Json.Serialization.JsonSerializerContext;
