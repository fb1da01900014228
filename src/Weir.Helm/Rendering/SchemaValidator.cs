using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Weir.Helm.Charts;
using Weir.Helm.Values;
using Weir.Templates.Functions;
using Weir.Templates.Values;

namespace Weir.Helm.Rendering;

/// <summary>
/// Checks values against values.schema.json with JsonSchema.Net: the root chart's schema against all values, each
/// subchart's against its own section (when there is one), as Helm does; every violation is listed under its chart.
/// </summary>
public static class SchemaValidator
{
    public const string Preamble = "values don't meet the specifications of the schema(s) in the following chart(s):\n";

    private static readonly TemplateFunction ToJson = TemplateFunctions.Helm.Find("mustToJson")!;

    /// <exception cref="ValuesException">Some values break a schema, or a schema is not valid JSON Schema.</exception>
    public static void Validate(Chart chart, GoMap values)
    {
        var problems = Collect(chart, values);
        if (problems.Length > 0)
        {
            throw new ValuesException(Preamble + problems);
        }
    }

    private static string Collect(Chart chart, GoMap values)
    {
        var sb = new StringBuilder();
        if (chart.Schema is { } schema)
        {
            var errors = ValidateOne(chart, schema, values);
            if (errors.Length > 0)
            {
                sb.Append(chart.Name).Append(":\n").Append(errors);
            }
        }

        foreach (var sub in chart.Dependencies)
        {
            if (!values.TryGet(sub.Name, out var raw) || raw.IsNothing)
            {
                continue;
            }

            if (!raw.IsMap)
            {
                sb.Append(sub.Name).Append(":\ninvalid type for values: expected object (map), got ").Append(raw.Type!.Name).Append('\n');
                continue;
            }

            sb.Append(Collect(sub, raw.AsMap));
        }

        return sb.ToString();
    }

    // Charts name meta-schemas loosely ("http://json-schema.org/schema#", draft-07 over https); Helm's validator accepts
    // them, so a known draft is normalised and anything else falls back to draft 2020-12. References to schemas on the
    // network are dropped (that part accepts anything): rendering never downloads.
    private static JsonElement WithKnownDialect(string text)
    {
        var node = JsonNode.Parse(text);
        DropRemoteReferences(node);
        if (node is JsonObject o && o["$schema"] is JsonValue v && v.TryGetValue<string>(out var dialect))
        {
            var normalised = dialect.Replace("https://json-schema.org/draft-0", "http://json-schema.org/draft-0", StringComparison.Ordinal);
            if (!normalised.EndsWith('#') && normalised.Contains("/draft-0", StringComparison.Ordinal))
            {
                normalised += "#";
            }

            if (KnownDialects.Contains(normalised.TrimEnd('#')))
            {
                o["$schema"] = normalised;
            }
            else
            {
                o.Remove("$schema");
            }
        }

        return JsonSerializer.SerializeToElement(node);
    }

    private static void DropRemoteReferences(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["$ref"] is JsonValue r && r.TryGetValue<string>(out var target) && Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    o.Remove("$ref");
                }

                foreach (var (_, child) in o.ToList())
                {
                    DropRemoteReferences(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    DropRemoteReferences(child);
                }

                break;
        }
    }

    private static readonly HashSet<string> KnownDialects =
    [
        "http://json-schema.org/draft-06/schema",
        "http://json-schema.org/draft-07/schema",
        "https://json-schema.org/draft/2019-09/schema",
        "https://json-schema.org/draft/2020-12/schema",
    ];

    private static string ValidateOne(Chart chart, byte[] schemaBytes, GoMap values)
    {
        JsonSchema schema;
        try
        {
            schema = JsonSchema.Build(WithKnownDialect(ValuesReader.DecodeText(schemaBytes)), new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 });
        }
        catch (Exception e) when (e is JsonException or JsonSchemaException or ArgumentException or InvalidOperationException)
        {
            throw new ValuesException($"{chart.Name}: invalid values.schema.json: {e.Message}", e);
        }

        using var instance = JsonDocument.Parse(ToJson.Body(null!, [Value.Map(values)]).AsString);
        var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return "";
        }

        var sb = new StringBuilder();
        foreach (var detail in (IEnumerable<EvaluationResults>?)result.Details ?? [result])
        {
            foreach (var (_, message) in detail.Errors ?? new Dictionary<string, string>())
            {
                sb.Append("- at '").Append(detail.InstanceLocation).Append("': ").Append(message).Append('\n');
            }
        }

        return sb.Length == 0 ? "- at '': values do not match the schema\n" : sb.ToString();
    }
}
