using Weir.Core.Versioning;
using Weir.Helm.Registry;
using Weir.Oci.Distribution;

namespace Weir.Helm.Repositories;

/// <summary>
/// Charts in an OCI registry below <paramref name="url"/> (<c>oci://HOST/PATH</c>, the chart at
/// <c>PATH/NAME:VERSION</c>), as source-controller's OCI chart repository: an exact version is used as the tag without
/// listing tags, anything else picks the newest matching tag; charts are pulled with <see cref="ChartRegistryClient"/>.
/// </summary>
public sealed class OciChartRepository(string url, RegistryClientOptions options) : IChartRepository
{
    private readonly RegistryClientOptions _options = options with { MaxBlobSize = ChartRepositoryLimits.MaxChartSize };

    public async Task<HelmChartVersion> GetChartVersionAsync(string name, string? constraint, CancellationToken cancellationToken)
    {
        var chart = ChartReference(name);
        if (constraint is { Length: > 0 } exact && LooseVersion.TryParse(exact, out _, out _))
        {
            return Version(chart, name, exact);
        }

        IReadOnlyList<string> tags;
        try
        {
            using var registry = new RegistryClient(chart.Host, _options);
            tags = await registry.ListTagsAsync(chart.Repository, cancellationToken);
        }
        catch (RegistryException e)
        {
            throw new ChartRepositoryException($"could not get tags for \"{name}\": {e.Message}", e);
        }

        if (tags.Count == 0)
        {
            throw new ChartRepositoryException($"unable to locate any tags in provided repository: {name}");
        }

        try
        {
            return Version(chart, name, HelmIndex.SelectVersion([.. tags.Select(t => t.Replace('_', '+'))], name, constraint, t => t));
        }
        catch (HelmIndexException)
        {
            throw new ChartRepositoryException($"could not locate a version matching provided version string {constraint}");
        }
    }

    public async Task<byte[]> DownloadChartAsync(HelmChartVersion version, CancellationToken cancellationToken)
    {
        var tagged = ChartReference(version.Name).WithTag(ChartRegistryClient.TagOf(version.Version));
        try
        {
            return (await new ChartRegistryClient(_options).PullAsync(tagged, ct: cancellationToken)).Archive;
        }
        catch (RegistryException e)
        {
            throw new ChartRepositoryException($"failed to get 'oci://{tagged}': {e.Message}", e);
        }
    }

    public void Dispose()
    {
    }

    private OciReference ChartReference(string name)
    {
        try
        {
            return OciReference.Parse($"{url.TrimEnd('/')}/{name}");
        }
        catch (FormatException e)
        {
            throw new ChartRepositoryException($"invalid chart reference '{name}': {e.Message}");
        }
    }

    private static HelmChartVersion Version(OciReference chart, string name, string version) =>
        new(name, version, [$"oci://{chart.WithTag(ChartRegistryClient.TagOf(version))}"], null, null);
}
