using Weir.Core.Files;
using Weir.Core.Versioning;
using Weir.Helm.Charts;
using Weir.Helm.Repositories;
using Weir.Runtime.Artifacts;

namespace Weir.Helm.Dependencies;

/// <summary>A chart directory inside an extracted source artifact: the artifact's root and the chart's path in it.</summary>
public sealed record LocalChartReference(string WorkDir, string Path);

/// <summary>The repository to download from for a dependency's normalized repository URL (with its credentials).</summary>
/// <exception cref="ChartRepositoryException">No repository can be made for the URL (for example its Secret is missing).</exception>
public delegate Task<IChartRepository> ChartRepositoryResolver(string url, CancellationToken cancellationToken);

/// <summary>A dependency of a chart could not be added; the message names it and the cause, as source-controller's.</summary>
public sealed class ChartDependencyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Adds the dependencies a chart directory declares but does not carry in <c>charts/</c>, as source-controller's
/// dependency manager does for charts from a GitRepository, Bucket or ExternalArtifact: the requirements are
/// Chart.lock's when there is one (its pinned versions), else Chart.yaml's; a dependency with an empty or
/// <c>file://</c> repository is a chart directory or archive inside the same artifact (never outside it), any other
/// is downloaded from its repository (<c>https://</c> index or <c>oci://</c> registry, one repository per URL for
/// the whole build); an <c>alias</c> renames the added chart. Every chart is loaded with the safe loader and its limits.
/// </summary>
public sealed class ChartDependencyBuilder(ChartRepositoryResolver resolve, ChartLoadLimits? limits = null) : IDisposable
{
    private readonly Dictionary<string, IChartRepository> _repositories = new(StringComparer.Ordinal);
    private readonly ChartLoader _loader = new(limits);

    /// <summary>Adds the missing dependencies to <paramref name="chart"/>; returns how many were added.</summary>
    /// <exception cref="ChartDependencyException">A dependency could not be added (the first one that failed).</exception>
    public async Task<int> BuildAsync(Chart chart, LocalChartReference reference, CancellationToken cancellationToken)
    {
        var requirements = (chart.Lock is { } lockFile ? lockFile.Dependencies : chart.Metadata.Dependencies ?? []).OfType<ChartDependency>();
        var present = chart.Dependencies.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var missing = requirements
            .Where(d => !present.Contains(d.Name) && !(d.Alias.Length > 0 && present.Contains(d.Alias)))
            .DistinctBy(NameOf)
            .ToList();
        var added = new List<Chart>();
        foreach (var dependency in missing)
        {
            var local = dependency.Repository.Length == 0 || dependency.Repository.StartsWith("file://", StringComparison.Ordinal);
            Chart loaded;
            try
            {
                loaded = local ? LoadLocal(reference, dependency) : await DownloadAsync(dependency, cancellationToken);
            }
            catch (ChartDependencyException e)
            {
                throw new ChartDependencyException($"failed to add {(local ? "local" : "remote")} dependency '{NameOf(dependency)}': {e.Message}", e);
            }

            if (dependency.Alias.Length > 0)
            {
                loaded.Rename(dependency.Alias);
            }

            added.Add(loaded);
        }

        if (added.Count > 0)
        {
            chart.SetDependencies([.. chart.Dependencies, .. added]);
        }

        return added.Count;
    }

    public void Dispose()
    {
        foreach (var repository in _repositories.Values)
        {
            repository.Dispose();
        }

        _repositories.Clear();
    }

    private static string NameOf(ChartDependency dependency) => dependency.Alias.Length > 0 ? dependency.Alias : dependency.Name;

    private Chart LoadLocal(LocalChartReference reference, ChartDependency dependency)
    {
        var target = dependency.Repository.Length == 0 ? $"charts/{dependency.Name}" : dependency.Repository["file://".Length..];
        var relative = SecurePath.Clean(reference.Path.Replace('\\', '/') + "/" + target)
            ?? throw new ChartDependencyException($"'{dependency.Repository}' leads outside the source artifact");
        string path;
        try
        {
            path = new RootedFileSystem(reference.WorkDir).Resolve(Path.Combine(reference.WorkDir, relative));
        }
        catch (IOException e)
        {
            throw new ChartDependencyException($"'{dependency.Repository}' leads outside the source artifact: {e.Message}", e);
        }

        var shown = "/" + relative;
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            throw new ChartDependencyException($"no chart found at '{shown}' (reference '{dependency.Repository}')");
        }

        if (!SemverConstraint.TryParse(dependency.Version, out var constraint, out var error))
        {
            throw new ChartDependencyException($"invalid version/constraint format '{dependency.Version}': {error}");
        }

        Chart chart;
        try
        {
            chart = _loader.Load(path);
        }
        catch (Exception e) when (IsLoadError(e))
        {
            throw new ChartDependencyException($"failed to load chart from '{shown}' (reference '{dependency.Repository}'): {e.Message}", e);
        }

        if (!LooseVersion.TryParse(chart.Metadata.Version, out var version, out error))
        {
            throw new ChartDependencyException(error);
        }

        return constraint.Check(version)
            ? chart
            : throw new ChartDependencyException($"can't get a valid version for constraint '{dependency.Version}'");
    }

    private async Task<Chart> DownloadAsync(ChartDependency dependency, CancellationToken cancellationToken)
    {
        var repository = await RepositoryAsync(dependency.Repository, cancellationToken);
        HelmChartVersion version;
        try
        {
            version = await repository.GetChartVersionAsync(dependency.Name, dependency.Version, cancellationToken);
        }
        catch (ChartRepositoryException e)
        {
            throw new ChartDependencyException(
                $"failed to get chart '{dependency.Name}' version '{dependency.Version}' from '{dependency.Repository}': {e.Message}", e);
        }

        byte[] archive;
        try
        {
            archive = await repository.DownloadChartAsync(version, cancellationToken);
        }
        catch (ChartRepositoryException e)
        {
            throw new ChartDependencyException($"chart download of version '{version.Version}' failed: {e.Message}", e);
        }

        try
        {
            return _loader.LoadArchive(new MemoryStream(archive, writable: false), $"{version.Name}-{version.Version}.tgz");
        }
        catch (Exception e) when (IsLoadError(e))
        {
            throw new ChartDependencyException($"failed to load downloaded archive of version '{version.Version}': {e.Message}", e);
        }
    }

    private async Task<IChartRepository> RepositoryAsync(string repository, CancellationToken cancellationToken)
    {
        string url;
        try
        {
            url = ChartRepositoryUrl.ForDependency(repository);
        }
        catch (ChartRepositoryException e)
        {
            throw new ChartDependencyException(e.Message, e);
        }

        if (!_repositories.TryGetValue(url, out var resolved))
        {
            try
            {
                resolved = await resolve(url, cancellationToken);
            }
            catch (ChartRepositoryException e)
            {
                throw new ChartDependencyException($"failed to get chart repository for URL '{url}': {e.Message}", e);
            }

            _repositories[url] = resolved;
        }

        return resolved;
    }

    private static bool IsLoadError(Exception e) => e is ChartException or InvalidDataException or IOException or FormatException or UnauthorizedAccessException;
}
