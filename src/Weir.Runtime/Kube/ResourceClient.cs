using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Weir.Core.Objects;

namespace Weir.Runtime.Kube;

/// <summary>One event of a watch stream.</summary>
public readonly record struct WatchEvent(WatchEventType Type, JsonObject Object);

/// <summary>
/// Generic access to any resource through KubernetesClient, with objects as <see cref="JsonObject"/>: get, list,
/// watch, create, patch (incl. the status subresource and server-side apply) and delete. Failures surface as
/// <see cref="KubeApiException"/> carrying the API server's reason and message.
/// </summary>
public sealed class ResourceClient(IKubernetes kubernetes)
{
    public IKubernetes Kubernetes { get; } = kubernetes;

    /// <summary>The user this client acts as (<c>Impersonate-User</c>), or null for the client's own identity.</summary>
    public string? ImpersonatedUser { get; private init; }

    private IReadOnlyDictionary<string, IReadOnlyList<string>>? Headers { get; init; }

    /// <summary>
    /// A client sending every request as <paramref name="user"/> through Kubernetes impersonation, the way Flux
    /// applies a Kustomization as its <c>spec.serviceAccountName</c> (<c>system:serviceaccount:NS:NAME</c>).
    /// </summary>
    public ResourceClient Impersonate(string user) => new(Kubernetes)
    {
        ImpersonatedUser = user,
        Headers = new Dictionary<string, IReadOnlyList<string>> { ["Impersonate-User"] = [user] },
    };

    /// <summary>
    /// Server-side apply of a whole object (<c>application/apply-patch+yaml</c>), optionally as a dry run;
    /// <paramref name="fieldValidation"/> is the server's <c>Strict|Warn|Ignore</c> (null: the server's default).
    /// </summary>
    public Task<JsonObject> ApplyAsync(
        KubeResource resource, JsonObject obj, string fieldManager, bool force = true, bool dryRun = false, CancellationToken cancellationToken = default,
        string? fieldValidation = null)
    {
        var body = new V1Patch(obj.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        var dry = dryRun ? "All" : null;
        return CallObject(() => resource.Namespaced
            ? Kubernetes.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync(
                body, resource.Group, resource.Version, obj.Namespace(), resource.Plural, obj.Name(),
                dryRun: dry, fieldManager: fieldManager, fieldValidation: fieldValidation, force: force, customHeaders: Headers, cancellationToken: cancellationToken)
            : Kubernetes.CustomObjects.PatchClusterCustomObjectWithHttpMessagesAsync(
                body, resource.Group, resource.Version, resource.Plural, obj.Name(),
                dryRun: dry, fieldManager: fieldManager, fieldValidation: fieldValidation, force: force, customHeaders: Headers, cancellationToken: cancellationToken));
    }

    /// <summary>GETs a raw API path (discovery documents), as the client's own identity.</summary>
    public async Task<JsonObject?> GetPathAsync(string path, CancellationToken cancellationToken = default)
    {
        if (Kubernetes is not k8s.Kubernetes kube)
        {
            throw new NotSupportedException("raw API paths need a k8s.Kubernetes client");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(kube.BaseUri, path.TrimStart('/')));
        if (kube.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        using var response = await kube.HttpClient.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new KubeApiException(response.StatusCode, response.StatusCode.ToString(), $"GET {path}: {text}");
        }

        return JsonNode.Parse(text) as JsonObject;
    }

    public async Task<JsonObject?> GetAsync(KubeResource resource, ObjectKey key, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = resource.Namespaced
                ? await Kubernetes.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync(
                    resource.Group, resource.Version, key.Namespace, resource.Plural, key.Name, customHeaders: Headers, cancellationToken: cancellationToken)
                : await Kubernetes.CustomObjects.GetClusterCustomObjectWithHttpMessagesAsync(
                    resource.Group, resource.Version, resource.Plural, key.Name, customHeaders: Headers, cancellationToken: cancellationToken);
            return ToObject(response.Body);
        }
        catch (HttpOperationException error) when (error.Response?.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException error)
        {
            throw KubeApiException.From(error);
        }
    }

    /// <summary>Lists objects (all namespaces when <paramref name="ns"/> is null) and the list's resourceVersion.</summary>
    public async Task<(List<JsonObject> Items, string ResourceVersion)> ListAsync(
        KubeResource resource, string? ns = null, string? labelSelector = null, CancellationToken cancellationToken = default)
    {
        var body = await Call(() => ns is null || !resource.Namespaced
            ? Kubernetes.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(
                resource.Group, resource.Version, resource.Plural, labelSelector: labelSelector, customHeaders: Headers, cancellationToken: cancellationToken)
            : Kubernetes.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(
                resource.Group, resource.Version, ns, resource.Plural, labelSelector: labelSelector, customHeaders: Headers, cancellationToken: cancellationToken));
        var list = ToObject(body);
        var items = list["items"] is JsonArray array ? array.OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone()).ToList() : [];
        foreach (var item in items)
        {
            // Lists omit apiVersion/kind on items; informers and callers want whole objects.
            item["apiVersion"] ??= resource.ApiVersion;
            item["kind"] ??= resource.Kind;
        }

        return (items, list["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "");
    }

    /// <summary>Watches from <paramref name="resourceVersion"/> with bookmarks until the server ends the stream.</summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        KubeResource resource, string? ns, string resourceVersion, string? labelSelector = null,
        TimeSpan? timeout = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seconds = (int)(timeout ?? TimeSpan.FromMinutes(5)).TotalSeconds;
        Exception? streamError = null;
        var stream = ns is null || !resource.Namespaced
            ? Kubernetes.CustomObjects.WatchListClusterCustomObjectAsync(
                resource.Group, resource.Version, resource.Plural, allowWatchBookmarks: true, labelSelector: labelSelector,
                resourceVersion: resourceVersion, timeoutSeconds: seconds, onError: e => streamError = e, cancellationToken: cancellationToken)
            : Kubernetes.CustomObjects.WatchListNamespacedCustomObjectAsync(
                resource.Group, resource.Version, ns, resource.Plural, allowWatchBookmarks: true, labelSelector: labelSelector,
                resourceVersion: resourceVersion, timeoutSeconds: seconds, onError: e => streamError = e, cancellationToken: cancellationToken);
        await foreach (var (type, body) in WithApiErrors(stream, cancellationToken))
        {
            var obj = ToObject(body);
            if (type == WatchEventType.Error)
            {
                var code = obj["code"]?.GetValue<int>() ?? 500;
                throw new KubeApiException((System.Net.HttpStatusCode)code, obj["reason"]?.GetValue<string>() ?? "",
                    obj["message"]?.GetValue<string>() ?? "watch error");
            }

            yield return new WatchEvent(type, obj);
        }

        if (streamError is HttpOperationException httpError)
        {
            throw KubeApiException.From(httpError);
        }
    }

    public Task<JsonObject> CreateAsync(KubeResource resource, JsonObject obj, CancellationToken cancellationToken = default) =>
        CallObject(() => resource.Namespaced
            ? Kubernetes.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync(
                obj, resource.Group, resource.Version, obj.Namespace(), resource.Plural, customHeaders: Headers, cancellationToken: cancellationToken)
            : Kubernetes.CustomObjects.CreateClusterCustomObjectWithHttpMessagesAsync(
                obj, resource.Group, resource.Version, resource.Plural, customHeaders: Headers, cancellationToken: cancellationToken));

    /// <summary>Replaces the object (PUT); the server rejects it with 409 when its resourceVersion is stale.</summary>
    public Task<JsonObject> ReplaceAsync(KubeResource resource, JsonObject obj, CancellationToken cancellationToken = default) =>
        CallObject(() => resource.Namespaced
            ? Kubernetes.CustomObjects.ReplaceNamespacedCustomObjectWithHttpMessagesAsync(
                obj, resource.Group, resource.Version, obj.Namespace(), resource.Plural, obj.Name(), customHeaders: Headers, cancellationToken: cancellationToken)
            : Kubernetes.CustomObjects.ReplaceClusterCustomObjectWithHttpMessagesAsync(
                obj, resource.Group, resource.Version, resource.Plural, obj.Name(), customHeaders: Headers, cancellationToken: cancellationToken));

    /// <summary>Patches the object (or its status subresource) with the given patch type.</summary>
    public Task<JsonObject> PatchAsync(
        KubeResource resource, ObjectKey key, JsonNode patch, string patchType, bool status = false,
        string? fieldManager = null, bool? force = null, CancellationToken cancellationToken = default)
    {
        var body = new V1Patch(patch.ToJsonString(), patchType switch
        {
            "merge" => V1Patch.PatchType.MergePatch,
            "json" => V1Patch.PatchType.JsonPatch,
            "apply" => V1Patch.PatchType.ApplyPatch,
            "strategic" => V1Patch.PatchType.StrategicMergePatch,
            _ => throw new ArgumentException($"unknown patch type '{patchType}'", nameof(patchType)),
        });
        return CallObject(() => (resource.Namespaced, status) switch
        {
            (true, false) => Kubernetes.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync(
                body, resource.Group, resource.Version, key.Namespace, resource.Plural, key.Name,
                fieldManager: fieldManager, force: force, customHeaders: Headers, cancellationToken: cancellationToken),
            (true, true) => Kubernetes.CustomObjects.PatchNamespacedCustomObjectStatusWithHttpMessagesAsync(
                body, resource.Group, resource.Version, key.Namespace, resource.Plural, key.Name,
                fieldManager: fieldManager, force: force, customHeaders: Headers, cancellationToken: cancellationToken),
            (false, false) => Kubernetes.CustomObjects.PatchClusterCustomObjectWithHttpMessagesAsync(
                body, resource.Group, resource.Version, resource.Plural, key.Name,
                fieldManager: fieldManager, force: force, customHeaders: Headers, cancellationToken: cancellationToken),
            (false, true) => Kubernetes.CustomObjects.PatchClusterCustomObjectStatusWithHttpMessagesAsync(
                body, resource.Group, resource.Version, resource.Plural, key.Name,
                fieldManager: fieldManager, force: force, customHeaders: Headers, cancellationToken: cancellationToken),
        });
    }

    public async Task<bool> DeleteAsync(
        KubeResource resource, ObjectKey key, CancellationToken cancellationToken = default, string? propagationPolicy = null)
    {
        try
        {
            if (resource.Namespaced)
            {
                await Kubernetes.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync(
                    resource.Group, resource.Version, key.Namespace, resource.Plural, key.Name,
                    propagationPolicy: propagationPolicy, customHeaders: Headers, cancellationToken: cancellationToken);
            }
            else
            {
                await Kubernetes.CustomObjects.DeleteClusterCustomObjectWithHttpMessagesAsync(
                    resource.Group, resource.Version, resource.Plural, key.Name,
                    propagationPolicy: propagationPolicy, customHeaders: Headers, cancellationToken: cancellationToken);
            }

            return true;
        }
        catch (HttpOperationException error) when (error.Response?.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (HttpOperationException error)
        {
            throw KubeApiException.From(error);
        }
    }

    private static async IAsyncEnumerable<(WatchEventType, object)> WithApiErrors(
        IAsyncEnumerable<(WatchEventType, object)> stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var events = stream.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await events.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (HttpOperationException error)
            {
                throw KubeApiException.From(error);
            }

            yield return events.Current;
        }
    }

    private static async Task<object> Call(Func<Task<HttpOperationResponse<object>>> call)
    {
        try
        {
            return (await call()).Body;
        }
        catch (HttpOperationException error)
        {
            throw KubeApiException.From(error);
        }
    }

    private static async Task<JsonObject> CallObject(Func<Task<HttpOperationResponse<object>>> call) => ToObject(await Call(call));

    private static JsonObject ToObject(object body) => body switch
    {
        JsonElement element => JsonNode.Parse(element.GetRawText()) as JsonObject ?? throw new JsonException("expected a JSON object"),
        JsonObject obj => obj,
        _ => JsonNode.Parse(JsonSerializer.Serialize(body)) as JsonObject ?? throw new JsonException("expected a JSON object"),
    };
}
