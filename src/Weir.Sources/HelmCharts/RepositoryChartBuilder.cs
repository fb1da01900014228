using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Helm.Repositories;
using Weir.Oci.Distribution;
using Weir.Runtime.Controllers;
using Weir.Sources.HelmRepositories;
using Weir.Sources.Storage;

namespace Weir.Sources.HelmCharts;

/// <summary>
/// Builds a chart from a HelmRepository as source-controller's remote builder does: pick the version (from the stored
/// index, or from the tags of <c>&lt;url&gt;/&lt;chart&gt;</c> for type oci), reuse the stored chart when it is that
/// version, else download it with the repository's credentials and either keep it as pulled or repackage it with
/// merged values files and patched version.
/// </summary>
public sealed class RepositoryChartBuilder(ArtifactStore store, HelmRepositoryAccess access)
{
    public async Task<ChartBuild> BuildAsync(string ns, HelmRepositorySpec repository, JsonArtifact? index, HelmChartSpec spec,
        ChartBuildOptions options, CancellationToken cancellationToken)
    {
        var chart = spec.Chart ?? "";
        var oci = repository.Type == "oci";
        var (version, download) = oci
            ? await ResolveOciAsync(ns, repository, chart, spec.Version, cancellationToken)
            : await ResolveIndexAsync(ns, repository, index!, chart, spec.Version, cancellationToken);
        var finalVersion = options.VersionMetadata is { } metadata ? ChartPackaging.WithMetadata(version, metadata) : version;
        if (options.Reuse(chart, finalVersion, options.RequiresPackaging) is { } reused)
        {
            return reused;
        }

        var archive = await download(cancellationToken);
        var loaded = ChartPackaging.LoadArchive(archive, "downloaded");
        if (!options.RequiresPackaging)
        {
            return new ChartBuild(chart, finalVersion) { Package = archive };
        }

        var files = loaded.Files.Concat(loaded.Raw.Where(f => f.Name == "values.yaml")).ToDictionary(f => f.Name, f => f.Data);
        var (values, merged) = ChartPackaging.MergeValues(options.ValuesFiles,
            path => files.GetValueOrDefault(Path.GetRelativePath(".", path).Replace('\\', '/')), options.IgnoreMissingValuesFiles,
            path => $"failed to merge chart values: no values file found at path '{path}'");
        var (package, changed) = ChartPackaging.Package(loaded, finalVersion, options.ValuesFiles.Count > 0 ? values : null);
        return new ChartBuild(chart, finalVersion) { Package = package, Packaged = true, ValuesFiles = changed ? merged : [] };
    }

    private async Task<(string Version, Func<CancellationToken, Task<byte[]>> Download)> ResolveIndexAsync(
        string ns, HelmRepositorySpec repository, JsonArtifact index, string chart, string? constraint, CancellationToken cancellationToken)
    {
        HelmChartVersion selected;
        try
        {
            byte[] content;
            await using (var stored = store.OpenRead(index.Path))
            using (var buffer = new MemoryStream())
            {
                await stored.CopyToAsync(buffer, cancellationToken);
                content = buffer.ToArray();
            }

            selected = HelmIndex.Parse(content).Select(chart, constraint);
        }
        catch (HelmIndexException e)
        {
            throw ChartBuildErrorReason.Reference.Failure($"failed to get chart version for remote reference: {e.Message}");
        }
        catch (IOException e)
        {
            throw ChartBuildErrorReason.Pull.Failure($"failed to get chart version for remote reference: failed to load index: {e.Message}");
        }

        var repositoryUrl = HelmRepositoryReconciler.RepositoryUrl(repository.Url);
        return (selected.Version, async ct =>
        {
            using var http = new IndexChartRepository(repositoryUrl, await access.CredentialsForAsync(ns, repository, ct));
            try
            {
                return await http.DownloadChartAsync(selected, ct);
            }
            catch (ChartRepositoryException e)
            {
                throw PullFailure($"failed to download chart for remote reference: {e.Message}", e);
            }
        }
        );
    }

    private async Task<(string Version, Func<CancellationToken, Task<byte[]>> Download)> ResolveOciAsync(
        string ns, HelmRepositorySpec repository, string chart, string? constraint, CancellationToken cancellationToken)
    {
        OciReference reference;
        try
        {
            reference = OciReference.Parse($"{repository.Url?.TrimEnd('/')}/{chart}");
        }
        catch (FormatException e)
        {
            throw new ReconcileFailure(ConditionReasons.URLInvalid, $"invalid Helm repository URL: {e.Message}", ConditionTypes.FetchFailed, stalled: true);
        }

        var options = await access.RegistryOptionsForAsync(ns, repository, reference.Host, cancellationToken);
        HelmChartVersion version;
        try
        {
            using var registry = new OciChartRepository(repository.Url!, options);
            version = await registry.GetChartVersionAsync(chart, constraint, cancellationToken);
        }
        catch (ChartRepositoryException e)
        {
            throw PullFailure($"failed to get chart version for remote reference: {e.Message}", e);
        }

        return (version.Version, async ct =>
        {
            try
            {
                using var registry = new OciChartRepository(repository.Url!, options);
                return await registry.DownloadChartAsync(version, ct);
            }
            catch (ChartRepositoryException e)
            {
                throw PullFailure($"failed to download chart for remote reference: {e.Message}", e);
            }
        }
        );
    }

    // source-controller reports a download failure that looks like an authentication problem as one; only a failure to
    // reach the repository can be one.
    private static ReconcileFailure PullFailure(string message, ChartRepositoryException cause)
    {
        string[] markers = ["401", "unauthorized", "authentication required", "tls", "unknown certificate authority"];
        var failure = ChartBuildErrorReason.Pull.Failure(message);
        return cause.InnerException is not null && markers.Any(m => failure.Message.Contains(m, StringComparison.Ordinal))
            ? new ReconcileFailure(ConditionReasons.AuthenticationFailed, $"failed to authenticate with the Helm repository: {failure.Message}", ConditionTypes.FetchFailed)
            : failure;
    }
}

/// <summary>A source's <c>status.artifact</c>: where it is stored, its URL, digest and revision.</summary>
public sealed record JsonArtifact(string Path, string Url, string? Digest, string Revision);
