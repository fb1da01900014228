namespace Weir.Helm.Repositories;

/// <summary>
/// A chart repository charts are downloaded from (source-controller's <c>Downloader</c>): an index repository over
/// HTTP(S) (<see cref="IndexChartRepository"/>) or an OCI registry (<see cref="OciChartRepository"/>).
/// </summary>
public interface IChartRepository : IDisposable
{
    /// <summary>The version of <paramref name="name"/> that <paramref name="constraint"/> selects (an exact version, a semver range, or the newest stable when empty).</summary>
    /// <exception cref="ChartRepositoryException">No such chart or version, or the repository cannot be read.</exception>
    Task<HelmChartVersion> GetChartVersionAsync(string name, string? constraint, CancellationToken cancellationToken);

    /// <summary>The <c>.tgz</c> of <paramref name="version"/>, at most <see cref="ChartRepositoryLimits.MaxChartSize"/> bytes.</summary>
    /// <exception cref="ChartRepositoryException">The download failed.</exception>
    Task<byte[]> DownloadChartAsync(HelmChartVersion version, CancellationToken cancellationToken);
}

/// <summary>
/// A chart repository could not answer; the message reads as source-controller's. An inner exception means the
/// repository could not be reached or refused the request (network, TLS, authentication), none a wrong reference.
/// </summary>
public sealed class ChartRepositoryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>source-controller's size limits on what is downloaded from a chart repository.</summary>
public static class ChartRepositoryLimits
{
    /// <summary>MaxChartSize: 10 MiB for a downloaded chart archive.</summary>
    public const long MaxChartSize = 10L * 1024 * 1024;
}
