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
        SchemaReferences.Inline(schema);
        return SchemaLayout.Ordered(schema);
    }

    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode node)
    {
        var schema = node as JsonObject ?? new JsonObject();
        var type = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;

        if (type == typeof(Condition))
        {
            schema = ConditionSchema.Build();
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

        if (Get<ItemsAttribute>() is { } count)
        {
            if (count.Min >= 0)
            {
                schema["minItems"] = count.Min;
            }

            if (count.Max >= 0)
            {
                schema["maxItems"] = count.Max;
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
}
