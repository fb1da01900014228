using System.Security.Cryptography;
using Weir.Core.Time;

namespace Weir.Runtime.Artifacts;

/// <summary>The artifact server answered 404: the source has not (re)stored its tarball yet.</summary>
public sealed class ArtifactNotFoundException(string url) : Exception($"file not found: {url}");

/// <summary>
/// Downloads a source's artifact tarball over HTTP, verifies it against <c>status.artifact.digest</c> and extracts
/// it with <see cref="SafeExtractor"/>, as Flux's archive fetcher does (same error texts). A <paramref name="timeout"/>
/// bounds the download (the Kustomization's <c>spec.timeout</c>), body included.
/// </summary>
public sealed class ArtifactDownloader(HttpClient http, ExtractionLimits? limits = null, TimeSpan? timeout = null)
{
    public async Task FetchAsync(string url, string digest, string target, CancellationToken cancellationToken)
    {
        using var buffer = await DownloadAsync(url, digest, cancellationToken);
        try
        {
            await SafeExtractor.ExtractAsync(buffer, target, limits, cancellationToken);
        }
        catch (ArchiveException e)
        {
            throw new InvalidOperationException($"failed to extract archive (check whether file size exceeds max download size): {e.Message}", e);
        }
    }

    /// <summary>Downloads and verifies the tarball without extracting it (a chart archive is read as it is); positioned at 0.</summary>
    public async Task<MemoryStream> DownloadAsync(string url, string digest, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
        {
            deadline.CancelAfter(limit);
        }

        var buffer = new MemoryStream();
        try
        {
            await ReadIntoAsync(url, buffer, deadline.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            var bound = deadline.IsCancellationRequested ? timeout!.Value : http.Timeout;
            throw new InvalidOperationException($"failed to download archive: {url} did not answer within {FluxDuration.Format(bound)}", e);
        }

        Verify(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), digest);
        buffer.Position = 0;
        return buffer;
    }

    private async Task ReadIntoAsync(string url, MemoryStream buffer, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"failed to download archive: {e.Message}", e);
        }

        using (response)
        {
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                throw new ArtifactNotFoundException(url);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException(
                    $"failed to download archive from {url} (status: {(int)response.StatusCode} {response.ReasonPhrase})");
            }

            await response.Content.CopyToAsync(buffer, cancellationToken);
        }
    }

    private static void Verify(ReadOnlySpan<byte> content, string digest)
    {
        if (string.IsNullOrEmpty(digest))
        {
            throw new InvalidOperationException("failed to verify archive: empty digest");
        }

        var colon = digest.IndexOf(':');
        var algorithm = colon > 0 ? digest[..colon] : "";
        var expected = colon > 0 ? digest[(colon + 1)..] : "";
        string actual = algorithm switch
        {
            "sha256" => Convert.ToHexStringLower(SHA256.HashData(content)),
            "sha384" => Convert.ToHexStringLower(SHA384.HashData(content)),
            "sha512" => Convert.ToHexStringLower(SHA512.HashData(content)),
            _ => throw new InvalidOperationException($"failed to verify archive: failed to parse digest '{digest}': unsupported digest algorithm"),
        };
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"failed to verify archive: computed digest doesn't match provided '{digest}' (check whether file size exceeds max download size)");
        }
    }
}
