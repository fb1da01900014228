using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Weir.Cluster.Api;
using Weir.Cluster.Auth;
using Weir.Cluster.Selectors;

namespace Weir.Cluster.Http;

/// <summary>Routes every request: version and health, discovery, OpenAPI, and the resource verbs.</summary>
internal sealed class ApiHandler(GenericRegistry registry, ClusterOptions options, ClusterSecurity security, CancellationToken stopping)
{
    private readonly AuthEndpoints _authEndpoints = new(security, registry);
    private const int MaxBodyBytes = 3 * 1024 * 1024;
    private readonly Discovery _discovery = new(registry.Catalog);
    private readonly OpenApi _openApi = new(registry.Catalog, options.KubernetesVersion);
    private readonly WatchStreamer _watch = new(registry, options.BookmarkInterval, stopping);

    public async Task HandleAsync(HttpContext ctx)
    {
        try
        {
            await RouteAsync(ctx);
        }
        catch (ApiException e)
        {
            await WriteStatus(ctx, e);
        }
        catch (JsonException e)
        {
            await WriteStatus(ctx, ApiException.BadRequest($"the object provided is unrecognized or malformed: {e.Message}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            await WriteStatus(ctx, ApiException.TooLarge($"Request entity too large: limit is {MaxBodyBytes}"));
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // Client went away.
        }
    }

    private static async Task WriteStatus(HttpContext ctx, ApiException e)
    {
        if (ctx.Response.HasStarted)
        {
            return;
        }
        ctx.Response.StatusCode = e.Code;
        await WriteJson(ctx, e.ToStatus(), MediaTypes.Json);
    }

    private static async Task WriteJson(HttpContext ctx, JsonNode body, string contentType)
    {
        ctx.Response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(JsonText.Options));
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
    }

    private static async Task WriteText(HttpContext ctx, int code, string text)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        await ctx.Response.WriteAsync(text, ctx.RequestAborted);
    }

    private async Task RouteAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = ctx.Request.Method;
        security.Admit(ctx, segments);
        if (AuthEndpoints.BodyKind(method, segments) is { } reviewKind)
        {
            var review = _authEndpoints.Handle(ctx, segments, await ReadObject(ctx, reviewKind, "v1"));
            ctx.Response.StatusCode = 201;
            await WriteJson(ctx, review, MediaTypes.Json);
            return;
        }
        if (segments.Length == 0)
        {
            await WriteJson(ctx, new JsonObject { ["paths"] = new JsonArray("/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v2", "/openapi/v3", "/readyz", "/version") }, MediaTypes.Json);
            return;
        }
        switch (segments[0])
        {
            case "version" when segments.Length == 1:
                await WriteJson(ctx, VersionInfo(), MediaTypes.Json);
                return;
            case "healthz" or "readyz" or "livez":
                await WriteText(ctx, 200, "ok");
                return;
            case "openapi":
                await OpenApiAsync(ctx, segments);
                return;
            case "api":
                if (segments.Length == 1)
                {
                    await DiscoveryRoot(ctx, core: true);
                    return;
                }
                if (segments[1] != "v1")
                {
                    await WriteText(ctx, 404, "404 page not found");
                    return;
                }
                if (segments.Length == 2)
                {
                    await WriteJson(ctx, _discovery.ResourceList("", "v1")!, MediaTypes.Json);
                    return;
                }
                await ResourceAsync(ctx, method, "", "v1", segments[2..]);
                return;
            case "apis":
                if (segments.Length == 1)
                {
                    await DiscoveryRoot(ctx, core: false);
                    return;
                }
                if (segments.Length == 2)
                {
                    var group = _discovery.GroupDocument(segments[1]);
                    await (group is null ? WriteText(ctx, 404, "404 page not found") : WriteJson(ctx, group, MediaTypes.Json));
                    return;
                }
                if (segments.Length == 3)
                {
                    var list = _discovery.ResourceList(segments[1], segments[2]);
                    await (list is null ? WriteText(ctx, 404, "404 page not found") : WriteJson(ctx, list, MediaTypes.Json));
                    return;
                }
                await ResourceAsync(ctx, method, segments[1], segments[2], segments[3..]);
                return;
            default:
                await WriteText(ctx, 404, "404 page not found");
                return;
        }
    }

    private JsonObject VersionInfo()
    {
        var v = options.KubernetesVersion.TrimStart('v').Split('.', '-', '+');
        return new JsonObject
        {
            ["major"] = v[0],
            ["minor"] = v.Length > 1 ? v[1] : "0",
            ["gitVersion"] = options.KubernetesVersion,
            ["gitCommit"] = "weir-" + Weir.Core.WeirVersion.Current,
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2025-01-01T00:00:00Z",
            ["goVersion"] = "go1.23",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    private async Task DiscoveryRoot(HttpContext ctx, bool core)
    {
        var aggregated = options.AggregatedDiscovery ? MediaTypes.AggregatedDiscovery(ctx.Request.Headers.Accept.ToString()) : null;
        if (aggregated is not null)
        {
            ctx.Response.Headers.Vary = "Accept";
            await WriteJson(ctx, _discovery.Aggregated(core, aggregated), $"application/json;g=apidiscovery.k8s.io;v={aggregated};as=APIGroupDiscoveryList");
            return;
        }
        var address = $"{ctx.Request.Host.Host}:{ctx.Request.Host.Port}";
        await WriteJson(ctx, core ? Discovery.ApiVersions(address) : _discovery.GroupList(), MediaTypes.Json);
    }

    private async Task OpenApiAsync(HttpContext ctx, string[] segments)
    {
        if (segments.Length == 2 && segments[1] == "v2")
        {
            var accept = ctx.Request.Headers.Accept.ToString();
            if (accept.Contains("protobuf", StringComparison.Ordinal))
            {
                var bytes = _openApi.V2Protobuf();
                ctx.Response.ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
                ctx.Response.ContentLength = bytes.Length;
                await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
                return;
            }
            await WriteJson(ctx, _openApi.V2Json(), MediaTypes.Json);
            return;
        }
        if (segments.Length >= 2 && segments[1] == "v3")
        {
            if (segments.Length == 2)
            {
                await WriteJson(ctx, _openApi.Index(), MediaTypes.Json);
                return;
            }
            var (group, version) = segments switch
            {
                [_, _, "api", var v] => ("", v),
                [_, _, "apis", var g, var v] => (g, v),
                _ => (null!, null!),
            };
            if (group is not null && _openApi.Serves(group, version))
            {
                var (json, hash) = _openApi.Document(group, version);
                ctx.Response.ContentType = MediaTypes.Json;
                if (ctx.Request.Query["hash"] == hash)
                {
                    ctx.Response.Headers.CacheControl = "public, immutable";
                }
                ctx.Response.Headers.ETag = $"\"{hash}\"";
                await ctx.Response.WriteAsync(json, ctx.RequestAborted);
                return;
            }
        }
        await WriteText(ctx, 404, "404 page not found");
    }

    private async Task ResourceAsync(HttpContext ctx, string method, string group, string version, string[] rest)
    {
        var req = ApiRequest.Parse(group, version, rest) ?? throw ApiException.UnknownResource();
        var type = registry.Catalog.Find(group, version, req.Resource) ?? throw ApiException.UnknownResource();
        if (req.Namespace is not null && !type.Namespaced)
        {
            throw ApiException.UnknownResource();
        }
        if (type.Namespaced && req.Namespace is null && req.Name is not null)
        {
            throw ApiException.UnknownResource();
        }
        if (req is { Subresource: "log", Name: not null } && type is { Group: "", Kind: "Pod" })
        {
            if (method != "GET")
            {
                throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
            }
            var pod = registry.Get(type, req.Namespace, req.Name);
            await WriteText(ctx, 200, Simulation.PodLogs.Answer(pod, ctx.Request.Query["container"], ctx.Request.Query["previous"] == "true"));
            return;
        }
        if (req.Subresource is not null && !(req.Subresource == "status" && type.HasStatus) && !(req.Subresource == "scale" && type.HasScale)
            && !(req.Subresource == "finalize" && type.Kind == "Namespace"))
        {
            throw ApiException.UnknownResource();
        }
        var query = ctx.Request.Query;
        if (req.Name is null)
        {
            switch (method)
            {
                case "GET":
                    if (query["watch"] is var wq && (wq == "true" || wq == "1"))
                    {
                        await _watch.StreamAsync(ctx, new WatchRequest(type, req.Namespace,
                            LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"], type),
                            query["resourceVersion"], query["allowWatchBookmarks"] == "true",
                            int.TryParse(query["timeoutSeconds"], out var ts) ? ts : null,
                            MediaTypes.WantsTable(ctx.Request.Headers.Accept)));
                        return;
                    }
                    await ListAsync(ctx, type, req.Namespace);
                    return;
                case "POST":
                    if (type.Namespaced && req.Namespace is null)
                    {
                        throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
                    }
                    var createOptions = WriteOptionsFrom(ctx);
                    var created = registry.Create(type, req.Namespace, await ReadObject(ctx, type), createOptions);
                    await Respond(ctx, type, created, 201, createOptions);
                    return;
                case "DELETE":
                    await DeleteCollectionAsync(ctx, type, req.Namespace);
                    return;
                default:
                    throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
            }
        }
        if (req.Subresource == "scale")
        {
            await ScaleAsync(ctx, method, type, req);
            return;
        }
        var sub = req.Subresource is "status" or "finalize" ? "status" : null;
        switch (method)
        {
            case "GET":
                await Respond(ctx, type, registry.Get(type, req.Namespace, req.Name), 200);
                return;
            case "PUT":
                var wo = WriteOptionsFrom(ctx);
                await Respond(ctx, type, registry.Update(type, req.Namespace, req.Name, await ReadObject(ctx, type), sub, wo), 200, wo);
                return;
            case "PATCH":
                var po = WriteOptionsFrom(ctx);
                var contentType = MediaTypes.Base(ctx.Request.ContentType);
                if (contentType is not ("application/merge-patch+json" or "application/json-patch+json" or "application/strategic-merge-patch+json"
                    or GenericRegistry.ApplyPatchYaml or GenericRegistry.ApplyPatchJson))
                {
                    throw ApiException.UnsupportedMediaType("application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
                }
                var patchText = await ReadBody(ctx);
                var patch = contentType is GenericRegistry.ApplyPatchYaml or GenericRegistry.ApplyPatchJson ? YamlBody.Parse(patchText, type) : JsonNode.Parse(patchText);
                var patched = registry.Patch(type, req.Namespace, req.Name, contentType, patch, sub, po);
                await Respond(ctx, type, patched, po.Created ? 201 : 200, po);
                return;
            case "DELETE":
                var deleted = registry.Delete(type, req.Namespace, req.Name, await DeleteOptionsFrom(ctx));
                await Respond(ctx, type, deleted, 200);
                return;
            default:
                throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    private async Task ListAsync(HttpContext ctx, ResourceType type, string? ns)
    {
        var q = ctx.Request.Query;
        var limit = int.TryParse(q["limit"], out var l) ? l : 0;
        var labels = LabelSelector.Parse(q["labelSelector"]);
        var fields = FieldSelector.Parse(q["fieldSelector"], type);
        if (MediaTypes.WantsTable(ctx.Request.Headers.Accept))
        {
            var result = registry.List(type, ns, labels, fields, limit, q["continue"]);
            var includeObject = q["includeObject"].ToString() is { Length: > 0 } io ? io : "Metadata";
            await WriteJson(ctx, type.Strategy.Table.ToTable(result.Items, includeObject, result.ResourceVersion, result.Continue), MediaTypes.Table);
            return;
        }
        var page = registry.ListJson(type, ns, labels, fields, limit, q["continue"]);
        var meta = new JsonObject { ["resourceVersion"] = page.ResourceVersion };
        if (page.Continue is not null)
        {
            meta["continue"] = page.Continue;
            meta["remainingItemCount"] = page.RemainingItemCount;
        }
        var head = new JsonObject { ["kind"] = type.ListKind, ["apiVersion"] = type.GroupVersion, ["metadata"] = meta }.ToJsonString(JsonText.Options);
        var body = new StringBuilder(head.Length + page.Items.Sum(i => i.Length + 1) + 16);
        body.Append(head, 0, head.Length - 1).Append(",\"items\":[");
        for (var i = 0; i < page.Items.Count; i++)
        {
            if (i > 0)
            {
                body.Append(',');
            }
            body.Append(page.Items[i]);
        }
        body.Append("]}");
        ctx.Response.ContentType = MediaTypes.Json;
        var bytes = Encoding.UTF8.GetBytes(body.ToString());
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
    }

    private async Task DeleteCollectionAsync(HttpContext ctx, ResourceType type, string? ns)
    {
        var q = ctx.Request.Query;
        var options = await DeleteOptionsFrom(ctx);
        var result = registry.List(type, ns, LabelSelector.Parse(q["labelSelector"]), FieldSelector.Parse(q["fieldSelector"], type), 0, null);
        var deleted = new JsonArray();
        foreach (var item in result.Items)
        {
            var m = item["metadata"]!;
            try
            {
                deleted.Add(registry.Delete(type, m["namespace"]?.GetValue<string>(), m["name"]!.GetValue<string>(), options));
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted meanwhile.
            }
        }
        await WriteJson(ctx, new JsonObject { ["kind"] = type.ListKind, ["apiVersion"] = type.GroupVersion, ["metadata"] = new JsonObject { ["resourceVersion"] = registry.Store.Revision.ToString(CultureInfo.InvariantCulture) }, ["items"] = deleted }, MediaTypes.Json);
    }

    private async Task ScaleAsync(HttpContext ctx, string method, ResourceType type, ApiRequest req)
    {
        var specPath = type.Strategy is CustomResourceStrategy crs ? crs.ScaleSpecPath.TrimStart('.').Split('.') : ["spec", "replicas"];
        var statusPath = type.Strategy is CustomResourceStrategy crs2 ? crs2.ScaleStatusPath.TrimStart('.').Split('.') : ["status", "replicas"];
        var obj = registry.Get(type, req.Namespace, req.Name!);
        if (method is "PUT" or "PATCH")
        {
            var current = ScaleOf(obj, specPath, statusPath);
            JsonNode? updated = method == "PUT"
                ? JsonNode.Parse(await ReadBody(ctx))
                : MediaTypes.Base(ctx.Request.ContentType) == "application/json-patch+json"
                    ? Patching.PatchTypes.ApplyJson(current, JsonNode.Parse(await ReadBody(ctx)))
                    : Weir.Core.Patching.JsonMergePatch.Apply(current, JsonNode.Parse(await ReadBody(ctx)));
            var replicas = updated?["spec"]?["replicas"]?.DeepClone() ?? throw ApiException.BadRequest("spec.replicas is required");
            var patch = new JsonObject();
            var cursor = patch;
            for (var i = 0; i < specPath.Length - 1; i++)
            {
                var next = new JsonObject();
                cursor[specPath[i]] = next;
                cursor = next;
            }
            cursor[specPath[^1]] = replicas;
            // Recorded in managedFields with subresource "scale", as the API server does.
            obj = registry.Patch(type, req.Namespace, req.Name!, "application/merge-patch+json", patch, "scale", WriteOptionsFrom(ctx));
        }
        else if (method != "GET")
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        await WriteJson(ctx, ScaleOf(obj, specPath, statusPath), MediaTypes.Json);
    }

    private static JsonObject ScaleOf(JsonObject obj, string[] specPath, string[] statusPath)
    {
        JsonNode? At(string[] path)
        {
            JsonNode? n = obj;
            foreach (var p in path)
            {
                n = n is JsonObject o ? o[p] : null;
            }
            return n;
        }
        var m = obj["metadata"]!;
        var meta = new JsonObject
        {
            ["name"] = m["name"]?.DeepClone(),
            ["namespace"] = m["namespace"]?.DeepClone(),
            ["uid"] = m["uid"]?.DeepClone(),
            ["resourceVersion"] = m["resourceVersion"]?.DeepClone(),
            ["creationTimestamp"] = m["creationTimestamp"]?.DeepClone(),
        };
        var selector = obj["spec"]?["selector"]?["matchLabels"] is JsonObject ml ? string.Join(",", ml.Select(kv => $"{kv.Key}={kv.Value}")) : "";
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = meta,
            ["spec"] = new JsonObject { ["replicas"] = At(specPath)?.DeepClone() ?? 0 },
            ["status"] = new JsonObject { ["replicas"] = At(statusPath)?.DeepClone() ?? 0, ["selector"] = selector },
        };
    }

    private static async Task Respond(HttpContext ctx, ResourceType type, JsonObject obj, int code, WriteOptions? written = null)
    {
        ctx.Response.StatusCode = code;
        foreach (var w in written?.Warnings ?? [])
        {
            ctx.Response.Headers.Append("Warning", $"299 - \"{w.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
        if (MediaTypes.WantsTable(ctx.Request.Headers.Accept))
        {
            await WriteJson(ctx, type.Strategy.Table.ToTable([obj], ctx.Request.Query["includeObject"].ToString() is { Length: > 0 } io ? io : "Metadata", obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "", null), MediaTypes.Table);
            return;
        }
        await WriteJson(ctx, obj, MediaTypes.Json);
    }

    private static WriteOptions WriteOptionsFrom(HttpContext ctx)
    {
        var q = ctx.Request.Query;
        var manager = q["fieldManager"].ToString();
        if (manager == "")
        {
            var agent = ctx.Request.Headers.UserAgent.ToString();
            manager = agent == "" ? "unknown" : agent.Split('/')[0];
        }
        var validation = q["fieldValidation"].ToString();
        if (validation is not ("" or "Strict" or "Warn" or "Ignore"))
        {
            throw ApiException.BadRequest($"fieldValidation must be one of \"Ignore\", \"Warn\", or \"Strict\"");
        }
        return new WriteOptions
        {
            DryRun = q["dryRun"] == "All",
            FieldValidation = validation == "" ? "Warn" : validation,
            FieldManager = manager,
            FieldManagerGiven = q["fieldManager"].ToString() != "",
            Force = q["force"] == "true",
        };
    }

    private static async Task<DeleteOptions> DeleteOptionsFrom(HttpContext ctx)
    {
        var q = ctx.Request.Query;
        var policy = q["propagationPolicy"].ToString();
        string? uid = null;
        string? rv = null;
        var dryRun = q["dryRun"] == "All";
        var body = await ReadBody(ctx);
        if (body.Length > 0 && JsonNode.Parse(body) is JsonObject o)
        {
            policy = o["propagationPolicy"]?.GetValue<string>() ?? policy;
            if (o["orphanDependents"] is JsonValue od && od.TryGetValue<bool>(out var orphan) && orphan)
            {
                policy = "Orphan";
            }
            uid = o["preconditions"]?["uid"]?.GetValue<string>();
            rv = o["preconditions"]?["resourceVersion"]?.GetValue<string>();
            dryRun |= o["dryRun"] is JsonArray { Count: > 0 };
        }
        return new DeleteOptions(policy == "" ? "Background" : policy, uid, rv, dryRun);
    }

    private static async Task<string> ReadBody(HttpContext ctx) => Encoding.UTF8.GetString(await ReadBytes(ctx));

    private static async Task<byte[]> ReadBytes(HttpContext ctx)
    {
        if (ctx.Request.ContentLength > MaxBodyBytes)
        {
            throw ApiException.TooLarge($"Request entity too large: limit is {MaxBodyBytes}");
        }
        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
        {
            ms.Write(buffer, 0, n);
            if (ms.Length > MaxBodyBytes)
            {
                throw ApiException.TooLarge($"Request entity too large: limit is {MaxBodyBytes}");
            }
        }
        return ms.ToArray();
    }

    private static Task<JsonObject> ReadObject(HttpContext ctx, ResourceType type) => ReadObject(ctx, type.Kind, type.Version, type);

    private static async Task<JsonObject> ReadObject(HttpContext ctx, string kind, string version, ResourceType? type = null)
    {
        var contentType = MediaTypes.Base(ctx.Request.ContentType);
        if (contentType == ProtobufBody.MediaType)
        {
            return ProtobufBody.Decode(await ReadBytes(ctx));
        }
        var body = await ReadBody(ctx);
        JsonNode? node;
        switch (contentType)
        {
            case "application/json" or "*/*":
                try
                {
                    node = JsonNode.Parse(body);
                }
                catch (JsonException e)
                {
                    throw ApiException.BadRequest($"{kind} in version \"{version}\" cannot be handled as a {kind}: {e.Message}");
                }
                break;
            case "application/yaml" when type is not null:
                node = YamlBody.Parse(body, type);
                break;
            default:
                throw ApiException.UnsupportedMediaType($"application/json, application/yaml, {ProtobufBody.MediaType}");
        }
        return node as JsonObject ?? throw ApiException.BadRequest($"{kind} in version \"{version}\" cannot be handled as a {kind}: the body is not a JSON object");
    }
}
