using System.Net;
using System.Text.Json.Nodes;
using k8s.Autorest;

namespace Weir.Runtime.Kube;

/// <summary>An API server answer that is not a success, with the Status object's reason and message.</summary>
public sealed class KubeApiException(HttpStatusCode statusCode, string reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The Status reason (<c>NotFound</c>, <c>Conflict</c>, <c>Invalid</c>, <c>Forbidden</c>, …).</summary>
    public string Reason { get; } = reason;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    public bool IsGone => StatusCode == HttpStatusCode.Gone;

    internal static KubeApiException From(HttpOperationException error)
    {
        var code = error.Response?.StatusCode ?? HttpStatusCode.InternalServerError;
        var reason = code.ToString();
        var message = error.Message;
        try
        {
            if (error.Response?.Content is { Length: > 0 } content && JsonNode.Parse(content) is JsonObject status)
            {
                reason = status["reason"]?.GetValue<string>() ?? reason;
                message = status["message"]?.GetValue<string>() ?? message;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a Status object; keep the transport's message.
        }

        return new KubeApiException(code, reason, message, error);
    }
}
