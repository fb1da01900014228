using System.Text.Json.Nodes;
using Weir.Core.Cel;

namespace Weir.Cluster.Schema;

/// <summary>
/// One <c>x-kubernetes-validations</c> entry compiled against the type of the schema node it sits on, with
/// <c>self</c> (and <c>oldSelf</c>: optional when <c>optionalOldSelf</c>) declared as Kubernetes declares them.
/// </summary>
public sealed class CompiledRule
{
    private CompiledRule(JsonObject raw)
    {
        Rule = Str(raw["rule"]);
        Message = Str(raw["message"]);
        MessageExpressionSource = Str(raw["messageExpression"]);
        Reason = raw["reason"] is null ? null : Str(raw["reason"]);
        FieldPath = Str(raw["fieldPath"]);
        OptionalOldSelf = raw["optionalOldSelf"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        OptionalOldSelfSet = raw["optionalOldSelf"] is JsonValue;
    }

    public string Rule { get; }

    public string Message { get; }

    public string MessageExpressionSource { get; }

    public string? Reason { get; }

    public string FieldPath { get; }

    public bool OptionalOldSelf { get; }

    public bool OptionalOldSelfSet { get; }

    /// <summary>The rule, ready to run; null when it is empty or did not compile.</summary>
    public CelExpression? Program { get; private set; }

    /// <summary>Why the rule did not compile, worded as Kubernetes words it.</summary>
    public string? Error { get; private set; }

    public CelExpression? MessageExpression { get; private set; }

    public string? MessageExpressionError { get; private set; }

    public bool UsesOldSelf { get; private set; }

    /// <summary>The fieldPath as Kubernetes prints it ("" without one, or when it does not name a field).</summary>
    public string NormalizedFieldPath { get; private set; } = "";

    /// <summary>Functions Weir does not evaluate: the rule is reported, not enforced.</summary>
    public IReadOnlySet<string> Unsupported { get; private set; } = new HashSet<string>();

    /// <summary>How the rule is named in error messages: its message, else its text.</summary>
    public string ErrorString => Message.Trim().Length > 0 ? Message.Trim() : Rule.Trim();

    /// <summary>The failure message without a messageExpression.</summary>
    public string DefaultMessage => Message.Trim().Length > 0 ? Message.Trim() : $"failed rule: {Rule.Trim()}";

    public static CompiledRule Compile(JsonObject raw, JsonObject schema, CelType selfType)
    {
        var rule = new CompiledRule(raw);
        if (rule.Rule.Trim().Length == 0)
        {
            return rule;
        }

        var variables = new Dictionary<string, CelType>
        {
            ["self"] = selfType,
            ["oldSelf"] = rule.OptionalOldSelf ? CelType.Optional(selfType) : selfType,
        };
        var compiled = CelExpression.Compile(rule.Rule, variables);
        var unsupported = new HashSet<string>(compiled.UnsupportedFunctions);
        if (compiled.Expression is null)
        {
            rule.Error = "compilation failed: " + compiled.Errors;
            return rule;
        }

        if (!compiled.Type.IsDyn && compiled.Type != CelType.Bool)
        {
            rule.Error = "cel expression must evaluate to a bool";
            return rule;
        }

        rule.UsesOldSelf = compiled.Referenced.Contains("oldSelf");
        rule.Program = compiled.Expression;
        if (rule.MessageExpressionSource.Trim().Length > 0)
        {
            var message = CelExpression.Compile(rule.MessageExpressionSource, variables);
            unsupported.UnionWith(message.UnsupportedFunctions);
            if (message.Expression is null)
            {
                rule.MessageExpressionError = "messageExpression compilation failed: " + message.Errors;
            }
            else if (!message.Type.IsDyn && message.Type != CelType.String)
            {
                rule.MessageExpressionError = "messageExpression must evaluate to a string";
            }
            else
            {
                rule.MessageExpression = message.Expression;
            }
        }

        if (rule.FieldPath.Length > 0)
        {
            rule.NormalizedFieldPath = RuleFieldPath.Normalize(rule.FieldPath, schema) ?? "";
        }

        rule.Unsupported = unsupported;
        return rule;
    }

    /// <summary>The entry as Go's <c>%#v</c> prints Kubernetes' internal ValidationRule, the value of a compile error.</summary>
    public string GoSyntax() =>
        $"apiextensions.ValidationRule{{Rule:{GoQuote(Rule)}, Message:{GoQuote(Message)}, MessageExpression:{GoQuote(MessageExpressionSource)}, " +
        $"Reason:{(Reason is null ? "(*apiextensions.FieldValueErrorReason)(nil)" : "(*apiextensions.FieldValueErrorReason)(0xc000000000)")}, " +
        $"FieldPath:{GoQuote(FieldPath)}, OptionalOldSelf:{(OptionalOldSelfSet ? "(*bool)(0xc000000000)" : "(*bool)(nil)")}}}";

    private static string GoQuote(string text)
    {
        var quoted = new System.Text.StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
