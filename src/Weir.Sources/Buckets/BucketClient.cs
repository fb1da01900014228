using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Weir.Runtime.Http;

namespace Weir.Sources.Buckets;

/// <summary>Where a Bucket's objects are and how to reach them: the settings <see cref="BucketClient"/> is built from.</summary>
public sealed record BucketConnection(string Endpoint, bool Insecure, TimeSpan Timeout)
{
    public string? Region { get; init; }

    public string? AccessKey { get; init; }

    public string? SecretKey { get; init; }

    /// <summary>Extra certificate authorities trusted for HTTPS (<c>ca.crt</c> of <c>certSecretRef</c>).</summary>
    public X509Certificate2Collection? CaCertificates { get; init; }

    /// <summary>Client certificate for mutual TLS (<c>tls.crt</c>/<c>tls.key</c> of <c>certSecretRef</c>).</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    public IWebProxy? Proxy { get; init; }
}

/// <summary>An object of a bucket as listed: its key and its etag without quotes (as minio-go reports it).</summary>
public sealed record BucketObject(string Key, string ETag);

/// <summary>The S3 operations a Bucket needs (existence, listing, download), over AWSSDK.S3 for the generic and aws providers.</summary>
public sealed class BucketClient : IDisposable
{
    private readonly AmazonS3Client _s3;
    private readonly HttpClient _http;
    private readonly string? _proxy;

    public BucketClient(BucketConnection connection)
    {
        _proxy = connection.Proxy is WebProxy { Address: { } address } ? new UriBuilder(address) { UserName = "", Password = "" }.Uri.GetLeftPart(UriPartial.Authority) : null;
        _http = new HttpClient(CreateHandler(connection)) { Timeout = Timeout.InfiniteTimeSpan };
        var config = new AmazonS3Config
        {
            ServiceURL = $"{(connection.Insecure ? "http" : "https")}://{connection.Endpoint}",
            // Amazon's own endpoints are addressed by virtual host, any other S3 service by path, as minio-go's auto lookup does.
            ForcePathStyle = !connection.Endpoint.Contains("amazonaws.com", StringComparison.OrdinalIgnoreCase),
            AuthenticationRegion = connection.Region is { Length: > 0 } region ? region : "us-east-1",
            MaxErrorRetry = 1,
            Timeout = connection.Timeout,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            HttpClientFactory = new FixedHttpClientFactory(_http),
        };
        AWSCredentials credentials = connection.AccessKey is { Length: > 0 } access && connection.SecretKey is { Length: > 0 } secret
            ? new BasicAWSCredentials(access, secret)
            : new AnonymousAWSCredentials();
        _s3 = new AmazonS3Client(credentials, config);
    }

    /// <summary>True when the bucket exists; false on 404; any other answer throws.</summary>
    public async Task<bool> ExistsAsync(string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await _s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Every object under <paramref name="prefix"/>, page by page.</summary>
    public async IAsyncEnumerable<BucketObject> ListAsync(string bucket, string? prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix is { Length: > 0 } ? prefix : null };
        ListObjectsV2Response page;
        do
        {
            page = await _s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var o in page.S3Objects ?? [])
            {
                yield return new BucketObject(o.Key, Unquote(o.ETag));
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true && page.NextContinuationToken is { Length: > 0 });
    }

    /// <summary>Writes the object to <paramref name="path"/>; returns its etag, or null when there is no such object.</summary>
    public async Task<string?> DownloadAsync(string bucket, string key, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
            await using (var file = File.Create(path))
            {
                await response.ResponseStream.CopyToAsync(file, cancellationToken);
            }

            return Unquote(response.ETag);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is null or "NoSuchKey" or "NotFound")
        {
            return null;
        }
    }

    /// <summary>
    /// The cause of a failed S3 call in the words minio-go (Flux's client) uses where it has them: the service's own
    /// message, <c>Access Denied.</c> for a bare 403, the connection error for an unreachable endpoint.
    /// </summary>
    /// <remarks>A connection that failed through a proxy names the proxy; a failed TLS handshake names its cause.</remarks>
    public string Describe(Exception e)
    {
        var through = _proxy is null ? "" : $" (through the proxy '{_proxy}')";
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case HttpRequestException { InnerException: AuthenticationException tls }:
                    return $"TLS handshake failed: {tls.Message}{through}";
                case AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden } s3 when IsBare(s3):
                    return "Access Denied.";
                case AmazonS3Exception { StatusCode: HttpStatusCode.NotFound } s3 when IsBare(s3):
                    return "The specified key does not exist.";
                case AmazonServiceException service when service.InnerException is HttpRequestException or SocketException or IOException:
                    continue;
                case AmazonServiceException service when !string.IsNullOrEmpty(service.Message):
                    return service.Message;
                case HttpRequestException http:
                    return http.Message + through;
                case SocketException socket:
                    return socket.Message + through;
            }
        }

        return e.Message;
    }

    public void Dispose()
    {
        _s3.Dispose();
        _http.Dispose();
    }

    // A HEAD answer has no body: the SDK's message then only repeats the status.
    private static bool IsBare(AmazonS3Exception e) =>
        string.IsNullOrEmpty(e.ErrorCode) || e.ErrorCode is "Forbidden" or "NotFound" || e.Message.StartsWith("Error making request", StringComparison.Ordinal);

    private static string Unquote(string? etag) => (etag ?? "").Trim('"');

    private static SocketsHttpHandler CreateHandler(BucketConnection connection)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = connection.Timeout < TimeSpan.FromSeconds(10) ? connection.Timeout : TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (connection.Proxy is not null)
        {
            handler.Proxy = connection.Proxy;
            handler.UseProxy = true;
        }

        if (connection.ClientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [connection.ClientCertificate];
        }

        if (connection.CaCertificates is { Count: > 0 } cas)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = CustomCaTrust.Callback(cas);
        }

        return handler;
    }

    // Hands the SDK the one HttpClient built for this connection (its TLS trust and proxy), never a cached one of another.
    private sealed class FixedHttpClientFactory(HttpClient client) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => client;

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    }
}
