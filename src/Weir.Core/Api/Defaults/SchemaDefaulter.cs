using System.Text.Json.Nodes;

namespace Weir.Core.Api.Defaults;

/// <summary>
/// Fills in the <c>default</c> values of a CRD schema, as the API server does when it stores an object:
/// a missing property gets its default wherever its parent object exists (so a new object's status becomes
/// <c>{"observedGeneration": -1}</c>).
/// </summary>
public static class SchemaDefaulter
{
    public static void Apply(JsonNode? value, JsonObject schema)
    {
        switch (value)
        {
            case JsonObject obj:
                if (schema["properties"] is JsonObject properties)
                {
                    foreach (var (name, propertySchema) in properties)
                    {
                        if (!obj.ContainsKey(name) && propertySchema?["default"] is JsonNode defaultValue)
                        {
                            obj[name] = defaultValue.DeepClone();
                        }

                        if (obj[name] is JsonNode child && propertySchema is JsonObject childSchema)
                        {
                            Apply(child, childSchema);
                        }
                    }
                }
                else if (schema["additionalProperties"] is JsonObject valueSchema)
                {
                    foreach (var (_, child) in obj)
                    {
                        Apply(child, valueSchema);
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                foreach (var item in array)
                {
                    Apply(item, items);
                }

                break;
        }
    }
}
