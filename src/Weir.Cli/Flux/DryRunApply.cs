using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Autorest;
using k8s.Models;
using Weir.Runtime.Kube;

namespace Weir.Cli.Flux;

/// <summary>Server-side apply with <c>dryRun=All</c>: what the object would look like once applied, nothing persisted.</summary>
public static class DryRunApply
{
    public const string FieldManager = "kustomize-controller";

    /// <summary>
    /// Server-side apply in dry-run mode; a server without server-side apply (415) gets a dry-run JSON merge patch
    /// of the whole object instead, which yields the same result for fields the manifest sets.
    /// </summary>
    public static async Task<JsonObject> ApplyAsync(this ResourceClient client, KubeResource resource, JsonObject obj, CancellationToken token)
    {
        try
        {
            return await PatchAsync(client, resource, obj, V1Patch.PatchType.ApplyPatch, token);
        }
        catch (KubeApiException e) when (e.StatusCode == System.Net.HttpStatusCode.UnsupportedMediaType)
        {
            return await PatchAsync(client, resource, obj, V1Patch.PatchType.MergePatch, token);
        }
    }

    private static async Task<JsonObject> PatchAsync(ResourceClient client, KubeResource resource, JsonObject obj, V1Patch.PatchType type, CancellationToken token)
    {
        var apply = type == V1Patch.PatchType.ApplyPatch;
        var patch = new V1Patch(obj.ToJsonString(), type);
        var name = obj["metadata"]!["name"]!.GetValue<string>();
        try
        {
            var response = resource.Namespaced
                ? await client.Kubernetes.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync(patch, resource.Group, resource.Version,
                    obj["metadata"]!["namespace"]!.GetValue<string>(), resource.Plural, name, dryRun: "All", fieldManager: FieldManager, force: apply ? true : null, cancellationToken: token)
                : await client.Kubernetes.CustomObjects.PatchClusterCustomObjectWithHttpMessagesAsync(patch, resource.Group, resource.Version,
                    resource.Plural, name, dryRun: "All", fieldManager: FieldManager, force: apply ? true : null, cancellationToken: token);
            return response.Body switch
            {
                JsonElement e => (JsonObject)JsonNode.Parse(e.GetRawText())!,
                var other => (JsonObject)JsonNode.Parse(JsonSerializer.Serialize(other))!,
            };
        }
        catch (HttpOperationException e)
        {
            var message = e.Message;
            if (e.Response?.Content is { Length: > 0 } content && JsonNode.Parse(content) is JsonObject status && status["message"] is JsonValue m)
            {
                message = m.GetValue<string>();
            }

            throw new KubeApiException(e.Response?.StatusCode ?? System.Net.HttpStatusCode.InternalServerError, "", message, e);
        }
    }
}
