namespace Weir.Helm.Repositories;

/// <summary>
/// A Helm repository served over HTTP(S): its <c>index.yaml</c> (the stored copy when there is one, else downloaded
/// once, on first use) picks the chart version, and the chart is downloaded from the URL the index lists, with the
/// repository's credentials and the size limit.
/// </summary>
public sealed class IndexChartRepository(Uri url, HelmRepositoryCredentials credentials, byte[]? storedIndex = null) : IChartRepository
{
    private readonly HelmHttpClient _http = new(url, credentials);
    private HelmIndex? _index;

    public Uri Url => url;

    public async Task<HelmChartVersion> GetChartVersionAsync(string name, string? constraint, CancellationToken cancellationToken)
    {
        var index = _index ??= await LoadIndexAsync(cancellationToken);
        try
        {
            return index.Select(name, constraint);
        }
        catch (HelmIndexException e)
        {
            throw new ChartRepositoryException(e.Message);
        }
    }

    public async Task<byte[]> DownloadChartAsync(HelmChartVersion version, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.GetAsync(HelmIndex.ResolveUrl(url, version), ChartRepositoryLimits.MaxChartSize, "chart", cancellationToken);
        }
        catch (HelmIndexException e)
        {
            throw new ChartRepositoryException(e.Message);
        }
        catch (HelmFetchException e)
        {
            throw new ChartRepositoryException(e.Message, e);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<HelmIndex> LoadIndexAsync(CancellationToken cancellationToken)
    {
        byte[] content;
        try
        {
            content = storedIndex ?? await _http.GetAsync(_http.IndexUrl, HelmIndex.MaxSize, "index", cancellationToken);
        }
        catch (HelmFetchException e)
        {
            throw new ChartRepositoryException($"failed to cache index: failed to cache index to temporary file: {e.Message}", e);
        }

        try
        {
            return HelmIndex.Parse(content);
        }
        catch (HelmIndexException e)
        {
            throw new ChartRepositoryException($"failed to load index: {e.Message}");
        }
    }
}
