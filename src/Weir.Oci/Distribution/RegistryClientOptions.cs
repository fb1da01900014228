using System.Security.Cryptography.X509Certificates;
using Weir.Oci.Auth;

namespace Weir.Oci.Distribution;

/// <summary>How a <see cref="RegistryClient"/> reaches and authenticates to a registry.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>Use plain HTTP (Flux's <c>insecure</c>).</summary>
    public bool Insecure { get; init; }

    /// <summary>Credentials for Basic auth or for the Bearer token service; null means anonymous.</summary>
    public RegistryCredentials? Credentials { get; init; }

    /// <summary>Extra certificate authorities trusted for HTTPS (e.g. <c>ca.crt</c> of a certSecretRef).</summary>
    public X509Certificate2Collection? CaCertificates { get; init; }

    /// <summary>Per-request timeout (headers of streamed bodies, whole body otherwise).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Bound of everything one client does, requests, retries and bodies together, counted from its creation
    /// (Flux's <c>spec.timeout</c> bounds a whole fetch); null leaves each request bounded by <see cref="Timeout"/> alone.
    /// </summary>
    public TimeSpan? TotalTimeout { get; init; }

    /// <summary>Retries after a 5xx, 429 or connection failure.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>First retry delay; doubled on each retry.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Blobs larger than this are uploaded in PATCH chunks of this size.</summary>
    public int ChunkSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>Largest manifest accepted.</summary>
    public long MaxManifestSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest blob accepted on pull.</summary>
    public long MaxBlobSize { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Page size asked for when listing tags (0: let the registry decide).</summary>
    public int TagPageSize { get; init; }
}
