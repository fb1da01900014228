using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text.Json;
using Weir.Core.Time;
using Weir.Oci.Auth;
using Weir.Runtime.Http;

namespace Weir.Oci.Distribution;

/// <summary>
/// A client of one registry speaking the OCI distribution spec: tags, manifests and blobs,
/// pull and push. Failures surface as <see cref="RegistryException"/> naming the registry,
/// the repository and the cause.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly RegistryAuthenticator _auth;
    private readonly RegistryClientOptions _options;
    private readonly Uri _base;
    private readonly CancellationTokenSource? _budget;

    public RegistryClient(string host, RegistryClientOptions? options = null)
    {
        Host = host;
        _options = options ?? new RegistryClientOptions();
        _budget = _options.TotalTimeout is { } total ? new CancellationTokenSource(total) : null;
        _base = new Uri($"{(_options.Insecure ? "http" : "https")}://{host}/");
        _http = new HttpClient(CreateHandler(_options)) { Timeout = _options.Timeout };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("weir/" + Core.WeirVersion.Current);
        _auth = new RegistryAuthenticator(_http, _options.Credentials, host);
    }

    /// <summary>The registry's host[:port].</summary>
    public string Host { get; }

    /// <summary>Every tag of <paramref name="repository"/>, following <c>Link</c> pagination.</summary>
    public Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken ct = default) =>
        WithinBudgetAsync($"failed to list tags of {Host}/{repository}", ct, (what, token) => ListTagsCoreAsync(repository, what, token));

    private async Task<IReadOnlyList<string>> ListTagsCoreAsync(string repository, string what, CancellationToken ct)
    {
        var tags = new List<string>();
        var next = $"v2/{repository}/tags/list" + (_options.TagPageSize > 0 ? $"?n={_options.TagPageSize}" : "");
        while (next is not null)
        {
            var url = new Uri(_base, next);
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), PullScope(repository), what, ct);
            await EnsureSuccessAsync(response, what, ct);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            if (doc.RootElement.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array)
            {
                tags.AddRange(t.EnumerateArray().Select(e => e.GetString()!).Where(s => s is not null));
            }
            next = NextLink(response);
        }
        return tags;
    }

    /// <summary>Fetches a manifest or index by tag or digest, verifying the digest.</summary>
    public Task<ManifestContent> GetManifestAsync(string repository, string reference, CancellationToken ct = default) =>
        WithinBudgetAsync($"failed to get manifest '{reference}' from {Host}/{repository}", ct, (what, token) => GetManifestCoreAsync(repository, reference, what, token));

    private async Task<ManifestContent> GetManifestCoreAsync(string repository, string reference, string what, CancellationToken ct)
    {
        var url = new Uri(_base, $"v2/{repository}/manifests/{reference}");
        using var response = await SendAsync(() => ManifestRequest(HttpMethod.Get, url), PullScope(repository), what, ct, streamBody: true);
        await EnsureSuccessAsync(response, what, ct);
        if (response.Content.Headers.ContentLength > _options.MaxManifestSize)
        {
            throw new RegistryException(RegistryErrorKind.TooLarge, $"{what}: manifest size {response.Content.Headers.ContentLength} exceeds the limit of {_options.MaxManifestSize} bytes");
        }
        var bytes = await ReadLimitedAsync(response.Content, _options.MaxManifestSize, what, ct);
        var digest = OciDigest.Of(bytes);
        if (OciDigest.IsValid(reference) && digest != reference)
        {
            throw new RegistryException(RegistryErrorKind.InvalidContent, $"{what}: content digest {digest} does not match the requested digest");
        }
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null or "application/json" or "text/plain" or "application/octet-stream")
        {
            mediaType = ManifestContent.SniffMediaType(bytes);
        }
        return new ManifestContent(bytes, mediaType, digest);
    }

    /// <summary>Resolves a tag or digest to a descriptor with a HEAD request (falls back to GET).</summary>
    public Task<Descriptor> HeadManifestAsync(string repository, string reference, CancellationToken ct = default) =>
        WithinBudgetAsync($"failed to resolve manifest '{reference}' of {Host}/{repository}", ct, (what, token) => HeadManifestCoreAsync(repository, reference, what, token));

    private async Task<Descriptor> HeadManifestCoreAsync(string repository, string reference, string what, CancellationToken ct)
    {
        var url = new Uri(_base, $"v2/{repository}/manifests/{reference}");
        using var response = await SendAsync(() => ManifestRequest(HttpMethod.Head, url), PullScope(repository), what, ct);
        await EnsureSuccessAsync(response, what, ct);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var size = response.Content.Headers.ContentLength;
        if (digest is null || !OciDigest.IsValid(digest) || mediaType is null || size is null)
        {
            var full = await GetManifestCoreAsync(repository, reference, what, ct);
            return new Descriptor { MediaType = full.MediaType, Digest = full.Digest, Size = full.Bytes.Length };
        }
        return new Descriptor { MediaType = mediaType, Digest = digest, Size = size.Value };
    }

    /// <summary>Uploads a manifest under a tag or its digest; returns its digest.</summary>
    public Task<string> PutManifestAsync(string repository, string reference, byte[] manifest, string mediaType, CancellationToken ct = default) =>
        WithinBudgetAsync($"failed to push manifest '{reference}' to {Host}/{repository}", ct, (what, token) => PutManifestCoreAsync(repository, reference, manifest, mediaType, what, token));

    private async Task<string> PutManifestCoreAsync(string repository, string reference, byte[] manifest, string mediaType, string what, CancellationToken ct)
    {
        var url = new Uri(_base, $"v2/{repository}/manifests/{reference}");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, url)
        {
            Content = new ByteArrayContent(manifest) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } },
        }, PushScope(repository), what, ct);
        await EnsureSuccessAsync(response, what, ct);
        return OciDigest.Of(manifest);
    }

    /// <summary>Deletes a manifest by digest.</summary>
    public Task DeleteManifestAsync(string repository, string digest, CancellationToken ct = default) =>
        WithinBudgetAsync($"failed to delete manifest '{digest}' from {Host}/{repository}", ct, async (what, token) =>
        {
            var url = new Uri(_base, $"v2/{repository}/manifests/{digest}");
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, url), DeleteScope(repository), what, token);
            await EnsureSuccessAsync(response, what, token);
        });

    /// <summary>The manifests whose <c>subject</c> is <paramref name="digest"/> (referrers API).</summary>
    public Task<ImageIndex> GetReferrersAsync(string repository, string digest, CancellationToken ct = default) =>
        WithinBudgetAsync($"failed to list referrers of '{digest}' in {Host}/{repository}", ct, async (what, token) =>
        {
            var url = new Uri(_base, $"v2/{repository}/referrers/{digest}");
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), PullScope(repository), what, token);
            await EnsureSuccessAsync(response, what, token);
            return JsonSerializer.Deserialize<ImageIndex>(await response.Content.ReadAsStringAsync(token)) ?? new ImageIndex();
        });

    /// <summary>True when the repository already holds the blob.</summary>
    public Task<bool> BlobExistsAsync(string repository, string digest, CancellationToken ct = default) =>
        WithinBudgetAsync($"failed to check blob '{digest}' in {Host}/{repository}", ct, (what, token) => BlobExistsCoreAsync(repository, digest, what, token));

    private async Task<bool> BlobExistsCoreAsync(string repository, string digest, string what, CancellationToken ct)
    {
        var url = new Uri(_base, $"v2/{repository}/blobs/{digest}");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, url), PullScope(repository), what, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        await EnsureSuccessAsync(response, what, ct);
        return true;
    }

    /// <summary>
    /// Downloads a blob into <paramref name="destination"/>, refusing more bytes than the
    /// descriptor's size or the configured limit and verifying the digest.
    /// </summary>
    public Task GetBlobAsync(string repository, Descriptor blob, Stream destination, IProgress<long>? progress = null, CancellationToken ct = default) =>
        WithinBudgetAsync($"failed to pull blob '{blob.Digest}' from {Host}/{repository}", ct,
            (what, token) => GetBlobCoreAsync(repository, blob, destination, progress, what, token));

    private async Task GetBlobCoreAsync(string repository, Descriptor blob, Stream destination, IProgress<long>? progress, string what, CancellationToken ct)
    {
        if (blob.Size > _options.MaxBlobSize)
        {
            throw new RegistryException(RegistryErrorKind.TooLarge, $"{what}: size {blob.Size} exceeds the limit of {_options.MaxBlobSize} bytes");
        }
        var url = new Uri(_base, $"v2/{repository}/blobs/{blob.Digest}");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), PullScope(repository), what, ct, streamBody: true);
        await EnsureSuccessAsync(response, what, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 17];
        long total = 0;
        int n;
        while ((n = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += n;
            if (total > blob.Size)
            {
                throw new RegistryException(RegistryErrorKind.InvalidContent, $"{what}: the registry sent more than the declared {blob.Size} bytes");
            }
            hash.AppendData(buffer, 0, n);
            await destination.WriteAsync(buffer.AsMemory(0, n), ct);
            progress?.Report(total);
        }
        var digest = OciDigest.From(hash);
        if (total != blob.Size || digest != blob.Digest)
        {
            throw new RegistryException(RegistryErrorKind.InvalidContent, $"{what}: received {total} bytes with digest {digest}, expected {blob.Size} bytes with digest {blob.Digest}");
        }
    }

    /// <summary>
    /// Uploads a blob unless the repository has it: tries a cross-repository mount from
    /// <paramref name="mountFrom"/> first, then uploads monolithically, or in chunks when
    /// larger than <see cref="RegistryClientOptions.ChunkSize"/>.
    /// </summary>
    public Task PushBlobAsync(string repository, BlobSource blob, string? mountFrom = null, IProgress<long>? progress = null, CancellationToken ct = default) =>
        WithinBudgetAsync($"failed to push blob '{blob.Digest}' to {Host}/{repository}", ct,
            (what, token) => PushBlobCoreAsync(repository, blob, mountFrom, progress, what, token));

    private async Task PushBlobCoreAsync(string repository, BlobSource blob, string? mountFrom, IProgress<long>? progress, string what, CancellationToken ct)
    {
        if (await BlobExistsAsync(repository, blob.Digest, ct))
        {
            progress?.Report(blob.Size);
            return;
        }
        var scope = PushScope(repository) + (mountFrom is null ? "" : " " + PullScope(mountFrom));
        var start = new Uri(_base, $"v2/{repository}/blobs/uploads/" +
            (mountFrom is null ? "" : $"?mount={blob.Digest}&from={Uri.EscapeDataString(mountFrom)}"));
        Uri location;
        using (var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, start) { Content = new ByteArrayContent([]) }, scope, what, ct))
        {
            await EnsureSuccessAsync(response, what, ct);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                progress?.Report(blob.Size);
                return;
            }
            location = UploadLocation(response, what);
        }
        if (blob.Size <= _options.ChunkSize)
        {
            var url = WithDigest(location, blob.Digest);
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, url)
            {
                Content = OctetStream(new StreamContent(new ProgressStream(blob.Open(), progress)), blob.Size),
            }, scope, what, ct);
            await EnsureSuccessAsync(response, what, ct);
            return;
        }
        await UploadChunksAsync(location, blob, scope, what, progress, ct);
    }

    private async Task UploadChunksAsync(Uri location, BlobSource blob, string scope, string what, IProgress<long>? progress, CancellationToken ct)
    {
        await using var source = blob.Open();
        var buffer = new byte[_options.ChunkSize];
        long offset = 0;
        while (offset < blob.Size)
        {
            var length = await source.ReadAtLeastAsync(buffer, (int)Math.Min(buffer.Length, blob.Size - offset), throwOnEndOfStream: true, ct);
            var chunkStart = offset;
            var url = location;
            using var response = await SendAsync(() =>
            {
                var content = OctetStream(new ByteArrayContent(buffer, 0, length), length);
                content.Headers.TryAddWithoutValidation("Content-Range", $"{chunkStart}-{chunkStart + length - 1}");
                return new HttpRequestMessage(HttpMethod.Patch, url) { Content = content };
            }, scope, what, ct);
            await EnsureSuccessAsync(response, what, ct);
            location = UploadLocation(response, what);
            offset += length;
            progress?.Report(offset);
        }
        var done = WithDigest(location, blob.Digest);
        using var final = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, done) { Content = OctetStream(new ByteArrayContent([]), 0) }, scope, what, ct);
        await EnsureSuccessAsync(final, what, ct);
    }

    public void Dispose()
    {
        _http.Dispose();
        _budget?.Dispose();
    }

    /// <summary>
    /// Runs one operation within what is left of <see cref="RegistryClientOptions.TotalTimeout"/>; running out of it
    /// is a <see cref="RegistryErrorKind.Timeout"/> naming the whole bound, whichever request or retry was waiting.
    /// </summary>
    private Task WithinBudgetAsync(string what, CancellationToken ct, Func<string, CancellationToken, Task> operation) =>
        WithinBudgetAsync(what, ct, async (w, token) =>
        {
            await operation(w, token);
            return true;
        });

    private async Task<T> WithinBudgetAsync<T>(string what, CancellationToken ct, Func<string, CancellationToken, Task<T>> operation)
    {
        if (_budget is null)
        {
            return await operation(what, ct);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _budget.Token);
        try
        {
            return await operation(what, linked.Token);
        }
        catch (OperationCanceledException e) when (_budget.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new RegistryException(RegistryErrorKind.Timeout,
                $"{what}: registry {Host} did not answer within {FluxDuration.Format(_options.TotalTimeout!.Value)}", e);
        }
    }

    private static HttpContent OctetStream(HttpContent content, long length)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = length;
        return content;
    }

    private static HttpRequestMessage ManifestRequest(HttpMethod method, Uri url)
    {
        var request = new HttpRequestMessage(method, url);
        foreach (var mt in MediaTypes.Manifests)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mt));
        }
        return request;
    }

    private Uri UploadLocation(HttpResponseMessage response, string what) =>
        response.Headers.Location is { } loc ? new Uri(_base, loc)
            : throw new RegistryException(RegistryErrorKind.Other, $"{what}: the registry sent no upload Location");

    private static Uri WithDigest(Uri location, string digest) =>
        new(location + (location.Query.Length > 0 ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest));

    private static string PullScope(string repository) => $"repository:{repository}:pull";
    private static string PushScope(string repository) => $"repository:{repository}:pull,push";
    private static string DeleteScope(string repository) => $"repository:{repository}:delete";

    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }
        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var parts = link.Split(';');
            if (parts.Skip(1).Any(p => p.Trim().Replace(" ", "") is "rel=\"next\"" or "rel=next"))
            {
                var target = parts[0].Trim().TrimStart('<').TrimEnd('>');
                return target.TrimStart('/');
            }
        }
        return null;
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, long limit, string what, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > limit)
            {
                throw new RegistryException(RegistryErrorKind.TooLarge, $"{what}: manifest exceeds the limit of {limit} bytes");
            }
        }
        return buffer.ToArray();
    }

    // Sends with auth-challenge handling and retries on 5xx, 429 and connection failures.
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, string scope, string what, CancellationToken ct, bool streamBody = false)
    {
        var challenged = false;
        for (var attempt = 0; ; attempt++)
        {
            using var request = build();
            request.Headers.Authorization = _auth.HeaderFor(scope);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, streamBody ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, ct);
            }
            catch (HttpRequestException e) when (attempt < _options.MaxRetries && e.InnerException is not AuthenticationException)
            {
                await Task.Delay(Backoff(attempt, null), ct);
                continue;
            }
            catch (HttpRequestException e)
            {
                throw new RegistryException(RegistryErrorKind.Unreachable, $"{what}: registry {Host} is unreachable: {Cause(e)}", e);
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                if (attempt < _options.MaxRetries)
                {
                    continue;
                }
                var tries = attempt == 0 ? "" : $" on any of {attempt + 1} attempts";
                throw new RegistryException(RegistryErrorKind.Timeout, $"{what}: registry {Host} did not answer within {FluxDuration.Format(_options.Timeout)}{tries}", e);
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized && !challenged)
            {
                challenged = true;
                if (await _auth.HandleChallengeAsync(response, scope, what, ct))
                {
                    response.Dispose();
                    attempt--;
                    continue;
                }
            }
            var status = (int)response.StatusCode;
            if ((status >= 500 || status == 429) && attempt < _options.MaxRetries)
            {
                var delay = Backoff(attempt, response.Headers.RetryAfter);
                response.Dispose();
                await Task.Delay(delay, ct);
                continue;
            }
            return response;
        }
    }

    private TimeSpan Backoff(int attempt, RetryConditionHeaderValue? retryAfter)
    {
        if (retryAfter?.Delta is { } delta && delta < TimeSpan.FromSeconds(30))
        {
            return delta;
        }
        return _options.RetryDelay * Math.Pow(2, attempt);
    }

    private static string Cause(HttpRequestException e) => e.InnerException switch
    {
        SocketException s => $"{s.SocketErrorCode switch { SocketError.ConnectionRefused => "connection refused", SocketError.HostNotFound => "host not found", _ => s.Message }}",
        AuthenticationException a => "TLS handshake failed: " + a.Message,
        _ => e.Message,
    };

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var detail = await RegistryErrorDetail(response, ct);
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        var (kind, cause) = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => (RegistryErrorKind.Unauthorized,
                _options.Credentials is null ? "authentication required (no credentials given)" : "the credentials were rejected"),
            HttpStatusCode.Forbidden => (RegistryErrorKind.Forbidden, "access denied"),
            HttpStatusCode.NotFound => (RegistryErrorKind.NotFound, "not found"),
            HttpStatusCode.RequestEntityTooLarge => (RegistryErrorKind.TooLarge, "too large"),
            >= HttpStatusCode.InternalServerError => (RegistryErrorKind.ServerError, "registry error"),
            _ => (RegistryErrorKind.Other, "request rejected"),
        };
        throw new RegistryException(kind, $"{what}: {status}: {cause}{(detail.Length > 0 ? " (" + detail + ")" : "")}");
    }

    // The distribution spec's {"errors":[{"code","message"}]} body, condensed.
    private static async Task<string> RegistryErrorDetail(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (text.Length == 0 || text.Length > 65536)
            {
                return "";
            }
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                return string.Join("; ", errors.EnumerateArray().Select(e =>
                    $"{(e.TryGetProperty("code", out var c) ? c.GetString() : "")}: {(e.TryGetProperty("message", out var m) ? m.GetString() : "")}".Trim(' ', ':')));
            }
        }
        catch (JsonException)
        {
        }
        return "";
    }

    private static SocketsHttpHandler CreateHandler(RegistryClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(10, options.Timeout.TotalSeconds)),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (options.CaCertificates is { Count: > 0 } cas)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = CustomCaTrust.Callback(cas);
        }
        return handler;
    }
}

/// <summary>A blob to upload: its digest, size and a way to (re)open its content.</summary>
public sealed record BlobSource(string Digest, long Size, Func<Stream> Open)
{
    /// <summary>A blob held in memory.</summary>
    public static BlobSource FromBytes(byte[] data) =>
        new(OciDigest.Of(data), data.Length, () => new MemoryStream(data, writable: false));

    /// <summary>A blob in a file, digested now.</summary>
    public static async Task<BlobSource> FromFileAsync(string path, CancellationToken ct = default)
    {
        await using var s = File.OpenRead(path);
        var digest = await OciDigest.OfAsync(s, ct);
        return new BlobSource(digest, s.Length, () => File.OpenRead(path));
    }
}
