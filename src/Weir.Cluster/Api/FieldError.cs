using System.Text.Json.Nodes;

namespace Weir.Cluster.Api;

/// <summary>One validation failure on a field, printed the way the Kubernetes API server prints it.</summary>
public sealed record FieldError(string Field, string Reason, string Message)
{
    public override string ToString() => $"{Field}: {Message}";

    public static FieldError Invalid(string field, JsonNode? value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {Show(value)}: {detail}");

    public static FieldError Invalid(string field, string value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: \"{value}\": {detail}");

    public static FieldError Required(string field, string detail = "") =>
        new(field, "FieldValueRequired", detail == "" ? "Required value" : $"Required value: {detail}");

    public static FieldError NotSupported(string field, JsonNode? value, IEnumerable<string> supported) =>
        new(field, "FieldValueNotSupported", $"Unsupported value: {Show(value)}: supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}");

    public static FieldError Forbidden(string field, string detail) => new(field, "FieldValueForbidden", $"Forbidden: {detail}");

    public static FieldError TypeInvalid(string field, JsonNode? value, string detail) =>
        new(field, "FieldValueTypeInvalid", $"Invalid value: {Show(value)}: {detail}");

    /// <summary>A value as Go's %#v would show a scalar, or the kind of a composite.</summary>
    private static string Show(JsonNode? value) => value switch
    {
        null => "\"null\"",
        JsonValue v when v.TryGetValue<string>(out var s) => $"\"{s}\"",
        JsonValue v => v.ToJsonString(JsonText.Options),
        JsonObject => "\"object\"",
        JsonArray => "\"array\"",
        _ => value.ToJsonString(JsonText.Options),
    };
}
