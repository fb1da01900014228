using System.Text.Json.Nodes;
using Weir.Core.Cel;

namespace Weir.Cluster.Schema;

/// <summary>
/// The CEL type of a structural schema node, as Kubernetes declares <c>self</c> for a validation rule: objects with
/// their (escaped) properties, maps for <c>additionalProperties</c>, lists, int-or-string as dyn, date-time strings as
/// timestamps and duration strings as durations. A node without a type (free-form JSON) has none: rules cannot
/// read it. The root of a resource also has apiVersion, kind and metadata.name/generateName.
/// </summary>
public static class SchemaCelTypes
{
    private static readonly CelType ObjectMeta = CelType.Object(
        [new CelField("name", "name", CelType.String), new CelField("generateName", "generateName", CelType.String)]);

    public static CelType? For(JsonObject schema, bool isResourceRoot)
    {
        if (IsIntOrString(schema))
        {
            return CelType.Dyn;
        }

        switch (Str(schema["type"]))
        {
            case "array":
                return schema["items"] is JsonObject items && For(items, EmbeddedResource(items)) is { } element ? CelType.List(element) : null;
            case "object":
                return ObjectType(schema, isResourceRoot);
            case "string":
                return Str(schema["format"]) switch
                {
                    "date" or "date-time" => CelType.Timestamp,
                    "duration" => CelType.Duration,
                    _ => CelType.String,
                };
            case "boolean":
                return CelType.Bool;
            case "number":
                return CelType.Double;
            case "integer":
                return CelType.Int;
            default:
                return null;
        }
    }

    public static bool EmbeddedResource(JsonObject schema) => Flag(schema, "x-kubernetes-embedded-resource");

    private static CelType? ObjectType(JsonObject schema, bool isResourceRoot)
    {
        if (schema["additionalProperties"] is JsonObject values)
        {
            return For(values, EmbeddedResource(values)) is { } valueType ? CelType.Map(CelType.String, valueType) : null;
        }

        var fields = new List<CelField>();
        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            if (isResourceRoot && name is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            if (property is JsonObject propertySchema && CelNames.Escape(name) is { } escaped && For(propertySchema, EmbeddedResource(propertySchema)) is { } type)
            {
                fields.Add(new CelField(escaped, name, type));
            }
        }

        if (isResourceRoot)
        {
            fields.Add(new CelField("apiVersion", "apiVersion", CelType.String));
            fields.Add(new CelField("kind", "kind", CelType.String));
            fields.Add(new CelField("metadata", "metadata", ObjectMeta));
        }

        return CelType.Object(fields);
    }

    private static bool IsIntOrString(JsonObject schema) =>
        Flag(schema, "x-kubernetes-int-or-string") || Str(schema["format"]) == "int-or-string";

    private static bool Flag(JsonObject schema, string name) => schema[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
