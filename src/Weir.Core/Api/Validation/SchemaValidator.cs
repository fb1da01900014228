using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Weir.Core.Api.Validation;

/// <summary>
/// Checks a JSON object against one of our CRD schemas the way the API server does (types, required fields,
/// enums, patterns, lengths, minimums) and reports fields the schema does not declare. CEL rules are not
/// evaluated here; each kind's <see cref="KindRules"/> checks their equivalents.
/// </summary>
public static class SchemaValidator
{
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new();

    public static IReadOnlyList<FieldError> Validate(JsonNode? value, JsonObject schema, string path = "")
    {
        var errors = new List<FieldError>();
        Check(value, schema, path, errors);
        return errors;
    }

    private static void Check(JsonNode? value, JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true && schema["type"] is null)
        {
            return;
        }

        var type = schema["type"]?.GetValue<string>();
        if (value is null)
        {
            if (type is not null)
            {
                errors.Add(FieldError.Invalid(path, null, $"{path} in body must be of type {type}: \"null\""));
            }

            return;
        }

        var kind = value.GetValueKind();
        if (type is not null && !HasType(value, kind, type))
        {
            errors.Add(FieldError.Invalid(path, value, $"{path} in body must be of type {type}: \"{JsonTypeName(value, kind)}\""));
            return;
        }

        switch (kind)
        {
            case JsonValueKind.Object:
                CheckObject(value.AsObject(), schema, path, errors);
                break;
            case JsonValueKind.Array when schema["items"] is JsonObject items:
                var array = value.AsArray();
                for (var i = 0; i < array.Count; i++)
                {
                    Check(array[i], items, FieldError.Index(path, i), errors);
                }

                break;
            case JsonValueKind.String:
                CheckString(value, value.GetValue<string>(), schema, path, errors);
                break;
            case JsonValueKind.Number:
                CheckNumber(value, schema, path, errors);
                break;
        }
    }

    private static void CheckObject(JsonObject obj, JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r!.GetValue<string>()).Where(r => !obj.ContainsKey(r)))
            {
                errors.Add(FieldError.Required(FieldError.Child(path, name)));
            }
        }

        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        foreach (var (name, child) in obj)
        {
            if (properties?[name] is JsonObject propertySchema)
            {
                Check(child, propertySchema, FieldError.Child(path, name), errors);
            }
            else if (additional is not null)
            {
                Check(child, additional, path + "[" + name + "]", errors);
            }
            else if (!preserve && properties is not null)
            {
                errors.Add(new FieldError(FieldErrorType.Unknown, FieldError.Child(path, name), null, ""));
            }
        }
    }

    private static void CheckString(JsonNode value, string text, JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema["enum"] is JsonArray values)
        {
            var allowed = values.Select(v => v!.GetValue<string>()).ToList();
            if (!allowed.Contains(text))
            {
                errors.Add(FieldError.Unsupported(path, value, allowed));
                return;
            }
        }

        // OpenAPI lengths count characters (Unicode code points), as the API server does.
        var length = text.EnumerateRunes().Count();
        if (schema["maxLength"] is JsonValue max && length > max.GetValue<int>())
        {
            errors.Add(new FieldError(FieldErrorType.TooLong, path, value, $"may not be more than {max.GetValue<int>()} bytes"));
        }

        if (schema["minLength"] is JsonValue min && length < min.GetValue<int>())
        {
            errors.Add(FieldError.Invalid(path, value, $"{path} in body should be at least {min.GetValue<int>()} chars long"));
        }

        if (schema["pattern"] is JsonValue pattern)
        {
            var regex = Patterns.GetOrAdd(pattern.GetValue<string>(), p => new Regex(p, RegexOptions.CultureInvariant));
            if (!regex.IsMatch(text))
            {
                errors.Add(FieldError.Invalid(path, value, $"{path} in body should match '{pattern.GetValue<string>()}'"));
            }
        }
    }

    private static void CheckNumber(JsonNode value, JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema["minimum"] is JsonValue minimum && Number(value) < Number(minimum))
        {
            errors.Add(FieldError.Invalid(path, value, $"{path} in body should be greater than or equal to {minimum.ToJsonString()}"));
        }
    }

    private static bool HasType(JsonNode value, JsonValueKind kind, string type) => type switch
    {
        "object" => kind == JsonValueKind.Object,
        "array" => kind == JsonValueKind.Array,
        "string" => kind == JsonValueKind.String,
        "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
        "number" => kind == JsonValueKind.Number,
        "integer" => kind == JsonValueKind.Number && decimal.IsInteger(Number(value)),
        _ => true,
    };

    private static decimal Number(JsonNode value) =>
        decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string JsonTypeName(JsonNode value, JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => decimal.IsInteger(Number(value)) ? "integer" : "number",
        _ => "null",
    };
}
