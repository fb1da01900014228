using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Weir.Oci.Distribution;

namespace Weir.Oci.Registry;

/// <summary>
/// The distribution-spec HTTP API over a <see cref="RegistryStore"/>: one handler for
/// <c>/v2/…</c> that splits the path into repository name and action.
/// </summary>
internal sealed partial class RegistryApi(RegistryStore store, RegistryServerOptions options)
{
    private const long MaxManifestSize = 4 * 1024 * 1024;

    [GeneratedRegex(@"^(?<name>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)/(?<action>tags/list|manifests/(?<ref>[^/]+)|blobs/uploads/(?<upload>[^/]*)|blobs/(?<digest>[^/]+)|referrers/(?<subject>[^/]+))\z", RegexOptions.CultureInvariant)]
    private static partial Regex Route();

    public async Task HandleAsync(HttpContext ctx)
    {
        ctx.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        if (!Authorized(ctx))
        {
            ctx.Response.Headers.WWWAuthenticate = "Basic realm=\"weir-registry\"";
            await Error(ctx, 401, "UNAUTHORIZED", "authentication required");
            return;
        }
        var path = ctx.Request.Path.Value!["/v2".Length..].TrimStart('/');
        if (path.Length == 0)
        {
            await Json(ctx, 200, "{}");
            return;
        }
        var m = Route().Match(path);
        if (!m.Success)
        {
            await Error(ctx, 404, "NAME_INVALID", "invalid repository name or path");
            return;
        }
        var name = m.Groups["name"].Value;
        var method = ctx.Request.Method;
        var action = m.Groups["action"].Value;
        if (action == "tags/list")
        {
            await ListTags(ctx, name);
        }
        else if (m.Groups["ref"].Success)
        {
            var reference = m.Groups["ref"].Value;
            await (method switch
            {
                "GET" or "HEAD" => GetManifest(ctx, name, reference),
                "PUT" => PutManifest(ctx, name, reference),
                "DELETE" => DeleteManifest(ctx, name, reference),
                _ => Error(ctx, 405, "UNSUPPORTED", "method not allowed"),
            });
        }
        else if (m.Groups["upload"].Success)
        {
            var id = m.Groups["upload"].Value;
            await ((method, id.Length) switch
            {
                ("POST", 0) => StartUpload(ctx, name),
                ("PATCH", > 0) => PatchUpload(ctx, name, id),
                ("PUT", > 0) => FinishUpload(ctx, name, id),
                ("GET", > 0) => UploadStatus(ctx, name, id),
                ("DELETE", > 0) => CancelUpload(ctx, id),
                _ => Error(ctx, 405, "UNSUPPORTED", "method not allowed"),
            });
        }
        else if (m.Groups["digest"].Success)
        {
            var digest = m.Groups["digest"].Value;
            await (method switch
            {
                "GET" or "HEAD" => GetBlob(ctx, name, digest),
                "DELETE" => DeleteBlob(ctx, name, digest),
                _ => Error(ctx, 405, "UNSUPPORTED", "method not allowed"),
            });
        }
        else
        {
            await Referrers(ctx, name, m.Groups["subject"].Value);
        }
    }

    private bool Authorized(HttpContext ctx)
    {
        if (options.BasicAuth is not { } creds)
        {
            return true;
        }
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var expected = $"{creds.Username}:{creds.Password}";
            return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(decoded), Encoding.UTF8.GetBytes(expected));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private async Task ListTags(HttpContext ctx, string name)
    {
        if (!store.RepositoryExists(name))
        {
            await Error(ctx, 404, "NAME_UNKNOWN", "repository name not known to registry");
            return;
        }
        IEnumerable<string> tags = store.Tags(name);
        if (ctx.Request.Query["last"].ToString() is { Length: > 0 } last)
        {
            tags = tags.Where(t => string.CompareOrdinal(t, last) > 0);
        }
        var list = tags.ToList();
        if (int.TryParse(ctx.Request.Query["n"], out var n) && n >= 0 && list.Count > n)
        {
            list = list.Take(n).ToList();
            if (n > 0)
            {
                ctx.Response.Headers.Link = $"</v2/{name}/tags/list?n={n}&last={Uri.EscapeDataString(list[^1])}>; rel=\"next\"";
            }
        }
        await Json(ctx, 200, JsonSerializer.Serialize(new { name, tags = list }));
    }

    private async Task GetManifest(HttpContext ctx, string name, string reference)
    {
        var digest = store.Resolve(name, reference);
        if (digest is null)
        {
            await Error(ctx, 404, "MANIFEST_UNKNOWN", "manifest unknown");
            return;
        }
        var path = store.BlobPath(digest);
        ctx.Response.ContentType = store.ManifestMediaType(name, digest);
        ctx.Response.Headers["Docker-Content-Digest"] = digest;
        ctx.Response.Headers.ETag = $"\"{digest}\"";
        ctx.Response.ContentLength = new FileInfo(path).Length;
        if (ctx.Request.Method == "GET")
        {
            await ctx.Response.SendFileAsync(path, ctx.RequestAborted);
        }
    }

    private async Task PutManifest(HttpContext ctx, string name, string reference)
    {
        if (ctx.Request.ContentLength > MaxManifestSize)
        {
            await Error(ctx, 413, "SIZE_INVALID", "manifest too large");
            return;
        }
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        var bytes = buffer.ToArray();
        var digest = OciDigest.Of(bytes);
        var byDigest = OciDigest.IsValid(reference);
        if (byDigest && digest != reference)
        {
            await Error(ctx, 400, "DIGEST_INVALID", "provided digest did not match uploaded content");
            return;
        }
        if (!byDigest && !OciReference.IsValidTag(reference))
        {
            await Error(ctx, 400, "TAG_INVALID", "invalid tag");
            return;
        }
        string mediaType;
        Descriptor? subject;
        string? artifactType = null;
        IReadOnlyDictionary<string, string>? annotations;
        try
        {
            mediaType = ctx.Request.ContentType is { Length: > 0 } ct && ct != "application/json" ? ct.Split(';')[0].Trim() : ManifestContent.SniffMediaType(bytes);
            var content = new ManifestContent(bytes, mediaType, digest);
            if (MediaTypes.IsIndex(mediaType))
            {
                var index = content.AsIndex();
                annotations = index.Annotations;
                subject = null;
                if (index.Manifests.FirstOrDefault(d => store.Resolve(name, d.Digest) is null) is { } missing)
                {
                    await Error(ctx, 400, "MANIFEST_BLOB_UNKNOWN", $"manifest {missing.Digest} unknown to repository");
                    return;
                }
            }
            else
            {
                var manifest = content.AsManifest();
                subject = manifest.Subject;
                annotations = manifest.Annotations;
                artifactType = manifest.ArtifactType ?? manifest.Config.MediaType;
                if (manifest.Layers.Prepend(manifest.Config).FirstOrDefault(d => !store.HasBlob(name, d.Digest)) is { } missing)
                {
                    await Error(ctx, 400, "MANIFEST_BLOB_UNKNOWN", $"blob {missing.Digest} unknown to repository");
                    return;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            await Error(ctx, 400, "MANIFEST_INVALID", "manifest invalid: " + e.Message);
            return;
        }
        store.PutManifest(name, digest, bytes, mediaType, byDigest ? null : reference, subject, artifactType, annotations);
        ctx.Response.Headers.Location = $"/v2/{name}/manifests/{digest}";
        ctx.Response.Headers["Docker-Content-Digest"] = digest;
        if (subject is not null)
        {
            ctx.Response.Headers["OCI-Subject"] = subject.Digest;
        }
        ctx.Response.StatusCode = 201;
    }

    private async Task DeleteManifest(HttpContext ctx, string name, string reference)
    {
        var deleted = OciDigest.IsValid(reference) ? store.DeleteManifest(name, reference) : store.DeleteTag(name, reference);
        if (!deleted)
        {
            await Error(ctx, 404, "MANIFEST_UNKNOWN", "manifest unknown");
            return;
        }
        ctx.Response.StatusCode = 202;
    }

    private async Task GetBlob(HttpContext ctx, string name, string digest)
    {
        if (!OciDigest.IsValid(digest))
        {
            await Error(ctx, 400, "DIGEST_INVALID", "invalid digest");
            return;
        }
        if (!store.HasBlob(name, digest))
        {
            await Error(ctx, 404, "BLOB_UNKNOWN", "blob unknown to registry");
            return;
        }
        var path = store.BlobPath(digest);
        ctx.Response.ContentType = "application/octet-stream";
        ctx.Response.Headers["Docker-Content-Digest"] = digest;
        ctx.Response.Headers.ETag = $"\"{digest}\"";
        ctx.Response.Headers.AcceptRanges = "bytes";
        ctx.Response.ContentLength = new FileInfo(path).Length;
        if (ctx.Request.Method == "GET")
        {
            await ctx.Response.SendFileAsync(path, ctx.RequestAborted);
        }
    }

    private async Task DeleteBlob(HttpContext ctx, string name, string digest)
    {
        if (!OciDigest.IsValid(digest) || !store.UnlinkBlob(name, digest))
        {
            await Error(ctx, 404, "BLOB_UNKNOWN", "blob unknown to registry");
            return;
        }
        ctx.Response.StatusCode = 202;
    }

    private async Task StartUpload(HttpContext ctx, string name)
    {
        var query = ctx.Request.Query;
        if (query["mount"].ToString() is { Length: > 0 } mount && query["from"].ToString() is { Length: > 0 } from
            && OciDigest.IsValid(mount) && store.HasBlob(from, mount) && store.LinkBlob(name, mount))
        {
            ctx.Response.Headers.Location = $"/v2/{name}/blobs/{mount}";
            ctx.Response.Headers["Docker-Content-Digest"] = mount;
            ctx.Response.StatusCode = 201;
            return;
        }
        var id = store.StartUpload();
        if (query["digest"].ToString() is { Length: > 0 } digest)
        {
            await store.AppendAsync(id, ctx.Request.Body, ctx.RequestAborted);
            await Complete(ctx, name, id, digest);
            return;
        }
        UploadHeaders(ctx, name, id, 0);
        ctx.Response.StatusCode = 202;
    }

    private async Task PatchUpload(HttpContext ctx, string name, string id)
    {
        if (store.UploadSize(id) is not { } size)
        {
            await Error(ctx, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
            return;
        }
        if (ctx.Request.Headers.ContentRange.ToString() is { Length: > 0 } range
            && (!long.TryParse(range.Split('-')[0].Replace("bytes=", "").Trim(), out var start) || start != size))
        {
            UploadHeaders(ctx, name, id, size);
            await Error(ctx, 416, "BLOB_UPLOAD_INVALID", "content range does not continue the upload");
            return;
        }
        var newSize = await store.AppendAsync(id, ctx.Request.Body, ctx.RequestAborted);
        UploadHeaders(ctx, name, id, newSize);
        ctx.Response.StatusCode = 202;
    }

    private async Task FinishUpload(HttpContext ctx, string name, string id)
    {
        if (store.UploadSize(id) is null)
        {
            await Error(ctx, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
            return;
        }
        await store.AppendAsync(id, ctx.Request.Body, ctx.RequestAborted);
        await Complete(ctx, name, id, ctx.Request.Query["digest"].ToString());
    }

    private async Task Complete(HttpContext ctx, string name, string id, string digest)
    {
        if (!OciDigest.IsValid(digest))
        {
            store.CancelUpload(id);
            await Error(ctx, 400, "DIGEST_INVALID", "invalid or missing digest");
            return;
        }
        if (!store.CompleteUpload(name, id, digest))
        {
            await Error(ctx, 400, "DIGEST_INVALID", "provided digest did not match uploaded content");
            return;
        }
        ctx.Response.Headers.Location = $"/v2/{name}/blobs/{digest}";
        ctx.Response.Headers["Docker-Content-Digest"] = digest;
        ctx.Response.StatusCode = 201;
    }

    private async Task UploadStatus(HttpContext ctx, string name, string id)
    {
        if (store.UploadSize(id) is not { } size)
        {
            await Error(ctx, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
            return;
        }
        UploadHeaders(ctx, name, id, size);
        ctx.Response.StatusCode = 204;
    }

    private Task CancelUpload(HttpContext ctx, string id)
    {
        store.CancelUpload(id);
        ctx.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private async Task Referrers(HttpContext ctx, string name, string subject)
    {
        if (!OciDigest.IsValid(subject))
        {
            await Error(ctx, 400, "DIGEST_INVALID", "invalid digest");
            return;
        }
        IEnumerable<Descriptor> referrers = store.Referrers(name, subject);
        if (ctx.Request.Query["artifactType"].ToString() is { Length: > 0 } type)
        {
            referrers = referrers.Where(r => r.ArtifactType == type);
            ctx.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }
        var index = new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = [.. referrers] };
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = MediaTypes.OciIndex;
        await ctx.Response.Body.WriteAsync(GoJson.Serialize(index), ctx.RequestAborted);
    }

    private static void UploadHeaders(HttpContext ctx, string name, string id, long size)
    {
        ctx.Response.Headers.Location = $"/v2/{name}/blobs/uploads/{id}";
        ctx.Response.Headers["Docker-Upload-UUID"] = id;
        ctx.Response.Headers.Range = $"0-{Math.Max(0, size - 1)}";
        ctx.Response.ContentLength = 0;
    }

    private static async Task Json(HttpContext ctx, int status, string body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body, ctx.RequestAborted);
    }

    private static Task Error(HttpContext ctx, int status, string code, string message) =>
        Json(ctx, status, JsonSerializer.Serialize(new { errors = new[] { new { code, message } } }));
}
