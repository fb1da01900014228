using System.Text.Json.Nodes;

namespace Weir.Core.Api.Defaults;

/// <summary>
/// Fills in the <c>default</c> values of a structural schema as the API server does for custom resources, on write
/// and on read from storage: a missing property (or a null one the schema does not allow to be null) gets its
/// default wherever its parent object exists, in properties, map values and list items alike (so a new Flux
/// object's status becomes <c>{"observedGeneration": -1}</c>).
/// </summary>
public static class SchemaDefaulter
{
    public static void Apply(JsonNode? value, JsonObject schema)
    {
        switch (value)
        {
            case JsonObject obj:
                var properties = schema["properties"] as JsonObject;
                foreach (var (name, property) in properties ?? [])
                {
                    if (property?["default"] is JsonNode defaultValue && (!obj.TryGetPropertyValue(name, out var present) || (present is null && !Nullable(property))))
                    {
                        obj[name] = defaultValue.DeepClone();
                    }
                }

                var values = schema["additionalProperties"] as JsonObject;
                foreach (var (name, child) in obj.ToList())
                {
                    if (properties?[name] is JsonObject propertySchema)
                    {
                        Apply(child, propertySchema);
                    }
                    else if (values is not null)
                    {
                        if (child is null && !Nullable(values) && values["default"] is JsonNode valueDefault)
                        {
                            obj[name] = valueDefault.DeepClone();
                        }

                        Apply(obj[name], values);
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is null && !Nullable(items) && items["default"] is JsonNode itemDefault)
                    {
                        array[i] = itemDefault.DeepClone();
                    }

                    Apply(array[i], items);
                }

                break;
        }
    }

    /// <summary>Whether the schema (or anything below it) declares a default.</summary>
    public static bool HasDefaults(JsonNode? schema) => schema switch
    {
        JsonObject obj => obj.ContainsKey("default") ||
            (obj["properties"] as JsonObject ?? []).Any(p => HasDefaults(p.Value)) ||
            HasDefaults(obj["additionalProperties"] as JsonObject) || HasDefaults(obj["items"] as JsonObject),
        _ => false,
    };

    private static bool Nullable(JsonNode schema) => schema["nullable"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
