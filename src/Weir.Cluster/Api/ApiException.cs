using System.Text.Json.Nodes;

namespace Weir.Cluster.Api;

/// <summary>A request failure carried to the client as a meta/v1 Status object.</summary>
public sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;
    public JsonObject? Details { get; } = details;

    public JsonObject ToStatus() => StatusObject(Code, Reason, Message, Details);

    public static JsonObject StatusObject(int code, string reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }
        status["code"] = code;
        return status;
    }

    private static JsonObject Detail(ResourceType type, string? name)
    {
        var d = new JsonObject();
        if (name is not null)
        {
            d["name"] = name;
        }
        if (type.Group != "")
        {
            d["group"] = type.Group;
        }
        d["kind"] = type.Plural;
        return d;
    }

    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedPlural} \"{name}\" not found", Detail(type, name));

    public static ApiException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedPlural} \"{name}\" already exists", Detail(type, name));

    public static ApiException Conflict(ResourceType type, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedPlural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", Detail(type, name));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Forbidden(string message, JsonObject? details = null) => new(403, "Forbidden", message, details);

    public static ApiException UnknownResource() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {contentType}");

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException TooLarge(string message) => new(413, "RequestEntityTooLarge", message);

    /// <summary>422 Invalid, message and causes shaped as the Kubernetes API server writes them.</summary>
    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors)
    {
        var kindName = type.Group == "" ? type.Kind : $"{type.Kind}.{type.Group}";
        // Identical messages are listed once, as field.ErrorList.ToAggregate does; the causes keep every error.
        var distinct = errors.Select(e => e.ToString()).Distinct().ToList();
        var summary = distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]";
        var causes = new JsonArray();
        foreach (var e in errors)
        {
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Message, ["field"] = e.Field });
        }
        var details = new JsonObject { ["name"] = name };
        if (type.Group != "")
        {
            details["group"] = type.Group;
        }
        details["kind"] = type.Kind;
        details["causes"] = causes;
        return new ApiException(422, "Invalid", $"{kindName} \"{name}\" is invalid: {summary}", details);
    }
}
