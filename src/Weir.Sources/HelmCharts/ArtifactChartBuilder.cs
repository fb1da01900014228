using Weir.Core.Files;
using Weir.Helm.Charts;
using Weir.Helm.Dependencies;
using Weir.Runtime.Artifacts;

namespace Weir.Sources.HelmCharts;

/// <summary>
/// Builds a chart found at <c>spec.chart</c> inside a source artifact (GitRepository, Bucket, ExternalArtifact) as
/// source-controller's local builder does: a chart directory is always packaged, a packaged chart only when values
/// files or version metadata ask for it; values files are paths from the artifact's root. A chart directory's
/// dependencies missing from <c>charts/</c> are added by <see cref="ChartDependencyBuilder"/> (a packaged chart is
/// taken as it is, as Flux does). The artifact has been extracted with the safe extractor; the chart is loaded with
/// Helm's safe loader.
/// </summary>
public static class ArtifactChartBuilder
{
    public static async Task<ChartBuild> BuildAsync(string root, string chartPath, ChartBuildOptions options, ChartRepositoryResolver repositories,
        CancellationToken cancellationToken)
    {
        var files = new RootedFileSystem(root);
        string path;
        try
        {
            path = files.Resolve(SecurePath.Join(root, chartPath));
        }
        catch (IOException e)
        {
            throw ChartBuildErrorReason.Reference.Failure(e.Message, e);
        }

        var isDirectory = Directory.Exists(path);
        if (!isDirectory && !File.Exists(path))
        {
            throw ChartBuildErrorReason.Reference.Failure($"stat {chartPath}: no such file or directory");
        }

        byte[]? archive = isDirectory ? null : File.ReadAllBytes(path);
        Chart chart;
        try
        {
            chart = archive is null ? new ChartLoader().LoadDirectory(path) : new ChartLoader().LoadArchive(new MemoryStream(archive, writable: false), chartPath);
        }
        catch (Exception e) when (e is ChartException or InvalidDataException or IOException or FormatException or UnauthorizedAccessException)
        {
            throw ChartBuildErrorReason.Reference.Failure(e.Message, e);
        }

        var version = options.VersionMetadata is { } metadata ? ChartPackaging.WithMetadata(chart.Metadata.Version, metadata) : chart.Metadata.Version;
        var requiresPackaging = isDirectory || options.RequiresPackaging;
        if (options.Reuse(chart.Name, version, requiresPackaging) is { } reused)
        {
            return reused;
        }

        if (!requiresPackaging)
        {
            return new ChartBuild(chart.Name, version) { Package = archive };
        }

        var (values, merged) = ChartPackaging.MergeValues(options.ValuesFiles, p => ReadValuesFile(files, p), options.IgnoreMissingValuesFiles,
            p => $"no values file found at path '{SecurePath.Join("/", p)}' (reference '{p}')");
        var (packaged, changed) = ChartPackaging.WithValues(chart, options.ValuesFiles.Count > 0 ? values : null);
        if (isDirectory)
        {
            using var dependencies = new ChartDependencyBuilder(repositories);
            try
            {
                await dependencies.BuildAsync(packaged, new LocalChartReference(root, chartPath), cancellationToken);
            }
            catch (ChartDependencyException e)
            {
                throw ChartBuildErrorReason.DependencyBuild.Failure(e.Message, e);
            }
        }

        var package = ChartPackaging.Write(packaged, version);
        return new ChartBuild(chart.Name, version) { Package = package, Packaged = true, ValuesFiles = changed ? merged : [] };
    }

    private static byte[]? ReadValuesFile(RootedFileSystem files, string path)
    {
        try
        {
            var full = files.Resolve(SecurePath.Join(files.Root, path));
            return File.Exists(full) ? File.ReadAllBytes(full) : null;
        }
        catch (IOException e)
        {
            throw ChartBuildErrorReason.ValuesFiles.Failure($"could not read values from file '{path}': {e.Message}", e);
        }
    }
}
