using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Core.Api.Validation;

/// <summary>Kinds of field errors, as Kubernetes names them (<c>field.ErrorType</c>).</summary>
public enum FieldErrorType
{
    Required,
    Invalid,
    Unsupported,
    Forbidden,
    TooLong,
    Unknown,
}

/// <summary>One problem with one field, printed the way the Kubernetes API server prints it.</summary>
public sealed record FieldError(FieldErrorType Type, string Path, JsonNode? Value, string Detail)
{
    public static FieldError Required(string path, string detail = "") => new(FieldErrorType.Required, path, null, detail);

    public static FieldError Invalid(string path, JsonNode? value, string detail) => new(FieldErrorType.Invalid, path, value, detail);

    public static FieldError Forbidden(string path, string detail) => new(FieldErrorType.Forbidden, path, null, detail);

    public static FieldError Unsupported(string path, JsonNode? value, IEnumerable<string> supported) =>
        new(FieldErrorType.Unsupported, path, value, "supported values: " + string.Join(", ", supported.Select(Quote)));

    public override string ToString() => Type switch
    {
        FieldErrorType.Required => $"{Path}: Required value" + (Detail.Length > 0 ? ": " + Detail : ""),
        FieldErrorType.Invalid => $"{Path}: Invalid value: {Format(Value)}: {Detail}",
        FieldErrorType.Unsupported => $"{Path}: Unsupported value: {Format(Value)}: {Detail}",
        FieldErrorType.Forbidden => $"{Path}: Forbidden: {Detail}",
        FieldErrorType.TooLong => $"{Path}: Too long: {Detail}",
        _ => $"unknown field \"{Path}\"",
    };

    private static string Format(JsonNode? value) => value?.GetValueKind() switch
    {
        null => "null",
        JsonValueKind.String => Quote(value.GetValue<string>()),
        JsonValueKind.Object => "\"object\"",
        JsonValueKind.Array => "\"array\"",
        _ => value.ToJsonString(),
    };

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    internal static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    internal static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
