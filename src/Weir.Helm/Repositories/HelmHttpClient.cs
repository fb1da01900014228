using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Weir.Runtime.Http;

namespace Weir.Helm.Repositories;

/// <summary>A Helm repository could not be read; the message reads as Helm's HTTP getter words it.</summary>
public sealed class HelmFetchException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a HelmRepository's secrets say about reaching it: basic auth, extra CAs, a client certificate.</summary>
public sealed record HelmRepositoryCredentials
{
    public string? Username { get; init; }

    public string? Password { get; init; }

    public X509Certificate2Collection? CaCertificates { get; init; }

    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary><c>spec.passCredentials</c>: send basic auth to hosts other than the repository's too.</summary>
    public bool PassCredentials { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Downloads files of one Helm repository over HTTP(S), as Helm's HTTP getter does: basic auth only to the repository's
/// own host unless <c>passCredentials</c>, TLS with the repository's CAs and client certificate, the timeout bounding
/// each download (body included), and a size limit checked while reading so an oversized answer is never buffered.
/// </summary>
public sealed class HelmHttpClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _repository;
    private readonly HelmRepositoryCredentials _credentials;

    public HelmHttpClient(Uri repository, HelmRepositoryCredentials credentials)
    {
        _repository = repository;
        _credentials = credentials;
        var handler = new SocketsHttpHandler { AllowAutoRedirect = true, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (credentials.ClientCertificate is { } client)
        {
            handler.SslOptions.ClientCertificates = [client];
        }

        if (credentials.CaCertificates is { Count: > 0 } cas)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = CustomCaTrust.Callback(cas);
        }

        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The repository's <c>index.yaml</c> (the URL's path joined with it, as Helm does).</summary>
    public Uri IndexUrl => new(_repository.ToString().TrimEnd('/') + "/index.yaml");

    /// <summary>Downloads <paramref name="url"/>; throws <see cref="HelmFetchException"/> naming the cause.</summary>
    public async Task<byte[]> GetAsync(Uri url, long maxSize, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_credentials.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (_credentials.Username is not null && (_credentials.PassCredentials || SameHost(url)))
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_credentials.Username}:{_credentials.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        request.Headers.UserAgent.ParseAdd("Helm/3");
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new HelmFetchException($"failed to fetch {url} : {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength > maxSize)
            {
                throw new HelmFetchException($"{what} exceeds the maximum {what} file size of {maxSize} bytes");
            }

            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, deadline.Token)) > 0)
            {
                if (buffer.Length + read > maxSize)
                {
                    throw new HelmFetchException($"{what} exceeds the maximum {what} file size of {maxSize} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HelmFetchException($"Get \"{url}\": context deadline exceeded (timeout {_credentials.Timeout.TotalSeconds:0.###}s)");
        }
        catch (HttpRequestException e)
        {
            throw new HelmFetchException($"Get \"{url}\": {Cause(e)}", e);
        }
    }

    public void Dispose() => _http.Dispose();

    private bool SameHost(Uri url) =>
        string.Equals(url.Host, _repository.Host, StringComparison.OrdinalIgnoreCase) && url.Port == _repository.Port;

    private static string Cause(HttpRequestException e)
    {
        var messages = new List<string>();
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            messages.Add(inner.Message);
        }

        return string.Join(": ", messages.Distinct());
    }
}
