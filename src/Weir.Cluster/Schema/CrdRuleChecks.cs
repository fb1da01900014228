using System.Text.Json.Nodes;
using Weir.Cluster.Api;

namespace Weir.Cluster.Schema;

/// <summary>
/// What the API server checks about a CRD's <c>x-kubernetes-validations</c> when the CRD is written: the entries'
/// fields (rule, message, messageExpression, reason, fieldPath, optionalOldSelf), that each rule compiles against
/// its node's type and evaluates to a bool, and that <c>oldSelf</c> is only used where old values correlate. Paths
/// are Kubernetes': <c>spec.validation.openAPIV3Schema…</c> when every version has the same schema (the internal
/// form hoists it), else <c>spec.versions[i].schema.openAPIV3Schema…</c>.
/// </summary>
public static class CrdRuleChecks
{
    private static readonly string[] Reasons = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"];

    public static IEnumerable<FieldError> Check(JsonObject crdSpec)
    {
        var versions = (crdSpec["versions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var schemas = versions.Select(v => v["schema"]?["openAPIV3Schema"] as JsonObject).ToList();
        var errors = new List<FieldError>();
        if (schemas.Count > 0 && schemas[0] is { } first && schemas.All(s => JsonNode.DeepEquals(s, first)))
        {
            Walk(first, "spec.validation.openAPIV3Schema", isResourceRoot: true, uncorrelatable: null, errors);
            return errors;
        }

        for (var i = 0; i < schemas.Count; i++)
        {
            if (schemas[i] is { } schema)
            {
                Walk(schema, $"spec.versions[{i}].schema.openAPIV3Schema", isResourceRoot: true, uncorrelatable: null, errors);
            }
        }

        return errors;
    }

    private static void Walk(JsonObject schema, string path, bool isResourceRoot, string? uncorrelatable, List<FieldError> errors)
    {
        if (schema["x-kubernetes-validations"] is JsonArray rules)
        {
            CheckRules(schema, rules, path, isResourceRoot, uncorrelatable, errors);
        }

        var mapType = schema["x-kubernetes-map-type"]?.GetValue<string>();
        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            if (property is JsonObject child)
            {
                var inner = uncorrelatable ?? (mapType is null or "granular" or "atomic" ? null : path);
                Walk(child, $"{path}.properties[{name}]", SchemaCelTypes.EmbeddedResource(child), inner, errors);
            }
        }

        if (schema["additionalProperties"] is JsonObject values)
        {
            Walk(values, $"{path}.additionalProperties", SchemaCelTypes.EmbeddedResource(values), uncorrelatable, errors);
        }

        if (schema["items"] is JsonObject items)
        {
            var inner = uncorrelatable ?? (schema["x-kubernetes-list-type"]?.GetValue<string>() == "map" ? null : path);
            Walk(items, $"{path}.items", SchemaCelTypes.EmbeddedResource(items), inner, errors);
        }
    }

    private static void CheckRules(JsonObject schema, JsonArray rules, string path, bool isResourceRoot, string? uncorrelatable, List<FieldError> errors)
    {
        var before = errors.Count;
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i] is JsonObject rule)
            {
                CheckFields(rule, schema, $"{path}.x-kubernetes-validations[{i}]", errors);
            }
        }

        if (errors.Count > before)
        {
            // Kubernetes compiles only when the entries themselves are well-formed.
            return;
        }

        if (SchemaCelTypes.For(schema, isResourceRoot) is not { } selfType)
        {
            errors.Add(FieldError.Invalid($"{path}.x-kubernetes-validations", (JsonNode?)null,
                "internal error: failed to retrieve type information for x-kubernetes-validations"));
            return;
        }

        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i] is JsonObject raw)
            {
                CheckCompiled(CompiledRule.Compile(raw, schema, selfType), $"{path}.x-kubernetes-validations[{i}]", uncorrelatable, errors);
            }
        }
    }

    private static void CheckFields(JsonObject rule, JsonObject schema, string path, List<FieldError> errors)
    {
        var text = Str(rule["rule"]).Trim();
        var message = Str(rule["message"]);
        if (text.Length == 0)
        {
            errors.Add(FieldError.Required($"{path}.rule", "rule is not specified"));
        }
        else if (message.Length > 0 && message.Trim().Length == 0)
        {
            errors.Add(FieldError.Invalid($"{path}.message", message, "must be non-empty if specified"));
        }
        else if (message.Trim().Contains('\n'))
        {
            errors.Add(FieldError.Invalid($"{path}.message", message, "must not contain line breaks"));
        }
        else if (text.Contains('\n') && message.Trim().Length == 0)
        {
            errors.Add(FieldError.Required($"{path}.message", "message must be specified if rule contains line breaks"));
        }

        var messageExpression = Str(rule["messageExpression"]);
        if (messageExpression.Length > 0 && messageExpression.Trim().Length == 0)
        {
            errors.Add(FieldError.Required($"{path}.messageExpression", "messageExpression must be non-empty if specified"));
        }

        if (rule["reason"] is { } reason && !Reasons.Contains(Str(reason)))
        {
            errors.Add(FieldError.NotSupported($"{path}.reason", reason, Reasons));
        }

        var fieldPath = Str(rule["fieldPath"]);
        if (fieldPath.Length > 0 && fieldPath.Trim().Length == 0)
        {
            errors.Add(FieldError.Invalid($"{path}.fieldPath", fieldPath, "must be non-empty if specified"));
        }

        if (fieldPath.Contains('\n'))
        {
            errors.Add(FieldError.Invalid($"{path}.fieldPath", fieldPath, "must not contain line breaks"));
        }

        if (fieldPath.Length > 0 && RuleFieldPath.Normalize(fieldPath, schema) is null)
        {
            errors.Add(FieldError.Invalid($"{path}.fieldPath", fieldPath, "must be a valid path"));
        }
    }

    private static void CheckCompiled(CompiledRule compiled, string path, string? uncorrelatable, List<FieldError> errors)
    {
        if (compiled.Error is not null)
        {
            errors.Add(new FieldError($"{path}.rule", "FieldValueInvalid", $"Invalid value: {compiled.GoSyntax()}: {compiled.Error}"));
        }

        if (compiled.MessageExpressionError is not null)
        {
            errors.Add(new FieldError($"{path}.messageExpression", "FieldValueInvalid", $"Invalid value: {compiled.GoSyntax()}: {compiled.MessageExpressionError}"));
        }

        if (compiled.UsesOldSelf && uncorrelatable is not null)
        {
            errors.Add(FieldError.Invalid($"{path}.rule", compiled.Rule, $"oldSelf cannot be used on the uncorrelatable portion of the schema within {uncorrelatable}"));
        }
        else if (!compiled.UsesOldSelf && compiled.OptionalOldSelfSet && compiled.Program is not null)
        {
            errors.Add(FieldError.Invalid($"{path}.optionalOldSelf", JsonValue.Create(compiled.OptionalOldSelf), "may not be set if oldSelf is not used in rule"));
        }
    }

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
