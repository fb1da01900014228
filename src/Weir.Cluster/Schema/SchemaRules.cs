using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Core.Cel;

namespace Weir.Cluster.Schema;

/// <summary>
/// The compiled <c>x-kubernetes-validations</c> of a CRD version's schema, in the schema's shape, and their
/// evaluation over an object as the API server does it: every level that has rules (objects, maps, lists, scalars),
/// <c>oldSelf</c> from the stored object where old and new values correlate (properties, map keys, items of
/// <c>x-kubernetes-list-type: map</c> lists by their keys), transition rules only with an old value unless
/// <c>optionalOldSelf</c>, failures on values an update left unchanged reported as warnings (ratcheting), and a cost
/// budget per object and per rule.
/// </summary>
public sealed class SchemaRules
{
    /// <summary>Steps one rule may take (Kubernetes' per-call cost limit).</summary>
    public const long PerCallLimit = 1_000_000;

    /// <summary>Steps all rules of one object may take together (Kubernetes' runtime cost budget).</summary>
    public const long CostBudget = 10_000_000;

    private const int MaxMessageBytes = 5 * 1024;
    private const string OutOfBudget = "validation failed due to running out of cost budget, no further validation rules will be run";

    private readonly string _type;
    private readonly CelType _selfType;
    private readonly IReadOnlyList<CompiledRule> _rules;
    private readonly Dictionary<string, SchemaRules>? _properties;
    private readonly SchemaRules? _additionalProperties;
    private readonly SchemaRules? _items;
    private readonly IReadOnlyList<string> _mapKeys;

    private SchemaRules(JsonObject schema, CelType selfType, IReadOnlyList<CompiledRule> rules, Dictionary<string, SchemaRules>? properties,
        SchemaRules? additionalProperties, SchemaRules? items)
    {
        _type = schema["type"] is JsonValue t && t.TryGetValue<string>(out var type) ? type : "";
        _selfType = selfType;
        _rules = rules;
        _properties = properties;
        _additionalProperties = additionalProperties;
        _items = items;
        _mapKeys = schema["x-kubernetes-list-type"]?.GetValue<string>() == "map" && schema["x-kubernetes-list-map-keys"] is JsonArray keys
            ? [.. keys.Select(k => k?.GetValue<string>() ?? "")]
            : [];
    }

    /// <summary>The rules of a resource's schema, or null when it has none.</summary>
    public static SchemaRules? For(JsonObject schema) => Build(schema, isResourceRoot: true);

    private static SchemaRules? Build(JsonObject schema, bool isResourceRoot)
    {
        if (SchemaCelTypes.For(schema, isResourceRoot) is not { } selfType)
        {
            return null;
        }

        var rules = (schema["x-kubernetes-validations"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(r => CompiledRule.Compile(r, schema, selfType))
            .ToList();
        Dictionary<string, SchemaRules>? properties = null;
        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            if (property is JsonObject propertySchema && Build(propertySchema, SchemaCelTypes.EmbeddedResource(propertySchema)) is { } child)
            {
                (properties ??= [])[name] = child;
            }
        }

        var additional = schema["additionalProperties"] is JsonObject values ? Build(values, SchemaCelTypes.EmbeddedResource(values)) : null;
        var items = schema["items"] is JsonObject itemSchema ? Build(itemSchema, SchemaCelTypes.EmbeddedResource(itemSchema)) : null;
        return rules.Count > 0 || properties is not null || additional is not null || items is not null
            ? new SchemaRules(schema, selfType, rules, properties, additional, items)
            : null;
    }

    /// <summary>
    /// Evaluates every rule over <paramref name="obj"/> (<paramref name="old"/>: the stored object on update), after
    /// the schema's own checks whose <paramref name="errors"/> it adds to: a missing, mistyped, unsupported or
    /// oversized value means the object lacks the shape the rules were written for, so they are skipped as the API
    /// server skips them. Ratcheted failures and rules Weir cannot evaluate go to <paramref name="warnings"/>.
    /// </summary>
    public void Validate(JsonObject obj, JsonObject? old, List<FieldError> errors, List<string> warnings)
    {
        if (errors.Any(e => e.Reason is "FieldValueRequired" or "FieldValueNotSupported" or "FieldValueTooLong" or "FieldValueTooMany" or "FieldValueTypeInvalid"))
        {
            errors.Add(FieldError.Invalid("<nil>", (JsonNode?)null,
                "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"));
            return;
        }

        var pass = new Pass(errors, warnings);
        Walk(null, obj, old, old is not null && JsonNode.DeepEquals(obj, old), pass);
    }

    private sealed class Pass(List<FieldError> errors, List<string> warnings)
    {
        public List<FieldError> Errors { get; } = errors;

        public List<string> Warnings { get; } = warnings;

        public long Remaining { get; set; } = CostBudget;
    }

    /// <summary>Validates one value and what is below it; false once the budget is spent and validation stops.</summary>
    private bool Walk(string? path, JsonNode? value, JsonNode? old, bool unchanged, Pass pass)
    {
        if (value is null)
        {
            return true;
        }

        if (!Evaluate(path, value, old, unchanged, pass))
        {
            return false;
        }

        switch (value)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if ((_additionalProperties ?? _properties?.GetValueOrDefault(key)) is not { } rules)
                    {
                        continue;
                    }

                    var childPath = _additionalProperties is not null ? $"{path}[{key}]" : path is null ? key : $"{path}.{key}";
                    var (childOld, childUnchanged) = old is JsonObject oldObj
                        ? (oldObj[key], oldObj[key] is { } o && JsonNode.DeepEquals(child, o))
                        : (null, unchanged);
                    if (!rules.Walk(childPath, child, childOld, childUnchanged, pass))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray array when _items is not null:
                for (var i = 0; i < array.Count; i++)
                {
                    var (itemOld, itemUnchanged) = _mapKeys.Count > 0 && old is JsonArray oldArray
                        ? OldItem(array[i], oldArray)
                        : (null, unchanged);
                    if (!_items.Walk($"{path}[{i}]", array[i], itemOld, itemUnchanged, pass))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    /// <summary>The stored item of a map-type list with the same keys, and whether it is unchanged.</summary>
    private (JsonNode? Old, bool Unchanged) OldItem(JsonNode? item, JsonArray old)
    {
        var match = old.FirstOrDefault(o => _mapKeys.All(k => JsonNode.DeepEquals(o?[k], item?[k])));
        return (match, match is not null && JsonNode.DeepEquals(item, match));
    }

    private bool Evaluate(string? path, JsonNode value, JsonNode? old, bool unchanged, Pass pass)
    {
        if (_rules.Count == 0)
        {
            return true;
        }

        if (pass.Remaining <= 0)
        {
            pass.Errors.Add(FieldError.Invalid(Show(path), _type, OutOfBudget));
            return false;
        }

        var variables = new Dictionary<string, object?> { ["self"] = CelExpression.Value(value, _selfType) };
        foreach (var rule in _rules)
        {
            if (!Evaluate(rule, path, old, unchanged, variables, pass))
            {
                return false;
            }
        }

        return true;
    }

    private bool Evaluate(CompiledRule rule, string? path, JsonNode? old, bool unchanged, Dictionary<string, object?> variables, Pass pass)
    {
        if (rule.Error is not null)
        {
            pass.Errors.Add(FieldError.Invalid(Show(path), _type, $"rule compile error: {rule.Error}"));
            return true;
        }

        if (rule.Program is null || (rule.UsesOldSelf && old is null && !rule.OptionalOldSelf))
        {
            return true;
        }

        if (rule.Unsupported.Count > 0)
        {
            pass.Warnings.Add($"{Show(path)}: rule not checked, Weir does not implement {string.Join(", ", rule.Unsupported.Order())}: {rule.ErrorString}");
            return true;
        }

        if (rule.UsesOldSelf)
        {
            var oldSelf = old is null ? null : CelExpression.Value(old, _selfType);
            variables["oldSelf"] = rule.OptionalOldSelf ? CelExpression.Optional(oldSelf, old is not null) : oldSelf;
        }

        var (result, error, steps) = Run(rule.Program, variables);
        if (steps > pass.Remaining)
        {
            pass.Errors.Add(FieldError.Invalid(Show(path), _type, OutOfBudget));
            return false;
        }

        pass.Remaining -= steps;
        if (error is not null)
        {
            if (error.StartsWith("no such overload", StringComparison.Ordinal))
            {
                pass.Errors.Add(FieldError.Invalid(Show(path), _type, $"'{error}': call arguments did not match a supported operator, function or macro signature for rule: {rule.ErrorString}"));
            }
            else if (error.StartsWith(CelCostLimit, StringComparison.Ordinal))
            {
                pass.Errors.Add(FieldError.Invalid(Show(path), _type, $"'{error}': no further validation rules will be run due to call cost exceeds limit for rule: {rule.ErrorString}"));
                return false;
            }
            else
            {
                pass.Errors.Add(FieldError.Invalid(Show(path), _type, $"{error} evaluating rule: {rule.ErrorString}"));
            }

            return true;
        }

        if (result is true)
        {
            return true;
        }

        var failedPath = rule.NormalizedFieldPath.Length == 0 ? Show(path) : path is null ? rule.NormalizedFieldPath : $"{path}.{rule.NormalizedFieldPath}";
        var (detail, stop) = Message(rule, failedPath, variables, pass);
        var failure = stop ?? Failure(rule.Reason, failedPath, detail);
        if (!rule.UsesOldSelf && unchanged)
        {
            pass.Warnings.Add(failure.ToString());
        }
        else
        {
            pass.Errors.Add(failure);
        }

        return stop is null;
    }

    /// <summary>cel-go's cost-limit error text, which Kubernetes looks for.</summary>
    private const string CelCostLimit = "operation cancelled: actual cost limit exceeded";

    private static (object? Result, string? Error, long Steps) Run(CelExpression program, Dictionary<string, object?> variables)
    {
        long steps = 0;
        try
        {
            return (program.Evaluate(variables, PerCallLimit, out steps), null, steps);
        }
        catch (CelException e)
        {
            return (null, e.Message, steps);
        }
    }

    /// <summary>The messageExpression's text when it gives a usable one, else the rule's message; or the error that stops validation.</summary>
    private (string Detail, FieldError? Stop) Message(CompiledRule rule, string path, Dictionary<string, object?> variables, Pass pass)
    {
        if (rule.MessageExpression is null)
        {
            return (rule.DefaultMessage, null);
        }

        var (result, error, steps) = Run(rule.MessageExpression, variables);
        if (steps > pass.Remaining)
        {
            return ("", FieldError.Invalid(path, _type, "messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run"));
        }

        if (error?.StartsWith(CelCostLimit, StringComparison.Ordinal) == true)
        {
            return ("", FieldError.Invalid(path, _type, $"no further validation rules will be run due to call cost exceeds limit for messageExpression: \"{rule.MessageExpressionSource}\""));
        }

        pass.Remaining -= steps;
        return result is string text && text.Trim() is { Length: > 0 and <= MaxMessageBytes } trimmed && !trimmed.Contains('\n')
            ? (trimmed, null)
            : (rule.DefaultMessage, null);
    }

    private FieldError Failure(string? reason, string path, string detail) => reason switch
    {
        "FieldValueForbidden" => FieldError.Forbidden(path, detail),
        "FieldValueRequired" => FieldError.Required(path, detail),
        "FieldValueDuplicate" => new FieldError(path, "FieldValueDuplicate", $"Duplicate value: \"{_type}\""),
        _ => FieldError.Invalid(path, _type, detail),
    };

    /// <summary>A path as Kubernetes prints it; the resource root has none.</summary>
    private static string Show(string? path) => path ?? "<nil>";
}
