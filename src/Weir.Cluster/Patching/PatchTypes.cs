using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Core.Objects;
using Weir.Core.OpenApi;
using Weir.Core.Patching;

namespace Weir.Cluster.Patching;

/// <summary>
/// The PATCH content types over Weir.Core's patch implementations, with failures reported as the API server reports
/// them. Strategic merge patches follow the API server's list order.
/// </summary>
public static class PatchTypes
{
    public const string Merge = "application/merge-patch+json";
    public const string Json = "application/json-patch+json";
    public const string StrategicMerge = "application/strategic-merge-patch+json";

    /// <summary>The media types a resource accepts, as a 415 lists them.</summary>
    public const string Accepted = "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

    public static JsonNode? Apply(ResourceType t, JsonObject target, string contentType, JsonNode? patch) => contentType switch
    {
        Merge => JsonMergePatch.Apply(target.DeepClone(), patch),
        Json => ApplyJson(target, patch),
        StrategicMerge when t.Strategy.AcceptsStrategicMerge => ApplyStrategic(t, target, patch),
        _ => throw ApiException.UnsupportedMediaType(Accepted),
    };

    public static JsonNode? ApplyJson(JsonNode target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiException.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }
        try
        {
            return JsonPatch.Apply(target.DeepClone(), operations);
        }
        catch (JsonPatchException e)
        {
            throw e.Failure switch
            {
                JsonPatchFailure.TestFailed => Rejected($"testing value {e.Path} failed"),
                JsonPatchFailure.MissingPath => Rejected($"doc is missing path: \"{e.Path}\": missing value"),
                _ => ApiException.BadRequest(e.Message),
            };
        }
    }

    private static JsonNode? ApplyStrategic(ResourceType t, JsonObject target, JsonNode? patch)
    {
        if (patch is not JsonObject map)
        {
            throw ApiException.BadRequest("invalid JSON document");
        }
        try
        {
            return StrategicMergePatch.Apply((JsonObject)target.DeepClone(), (JsonObject)map.DeepClone(), new GroupVersionKind(t.Group, t.Version, t.Kind),
                KubernetesOpenApi.Server, order: StrategicMergePatch.ListOrder.TargetFirst) ?? [];
        }
        catch (StrategicMergePatchException e)
        {
            throw e.Message.StartsWith("invalid patch format", StringComparison.Ordinal) ? ApiException.BadRequest(e.Message) : Rejected(e.Message);
        }
    }

    private static ApiException Rejected(string detail) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: {detail}");
}
