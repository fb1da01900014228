using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Core.Versioning;
using Weir.Helm.Registry;
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
            Uri url;
            try
            {
                url = HelmIndex.ResolveUrl(repositoryUrl, selected);
            }
            catch (HelmIndexException e)
            {
                throw ChartBuildErrorReason.Pull.Failure($"failed to download chart for remote reference: {e.Message}");
            }

            var credentials = await access.CredentialsForAsync(ns, repository, ct);
            using var http = new HelmHttpClient(repositoryUrl, credentials);
            try
            {
                return await http.GetAsync(url, ChartPackaging.MaxChartSize, "chart", ct);
            }
            catch (HelmFetchException e)
            {
                throw PullFailure($"failed to download chart for remote reference: {e.Message}");
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

        var options = (await access.RegistryOptionsForAsync(ns, repository, reference.Host, cancellationToken)) with
        {
            MaxBlobSize = ChartPackaging.MaxChartSize,
        };
        string version;
        if (constraint is { Length: > 0 } exact && LooseVersion.TryParse(exact, out _, out _))
        {
            version = exact;
        }
        else
        {
            IReadOnlyList<string> tags;
            try
            {
                using var registry = new RegistryClient(reference.Host, options);
                tags = await registry.ListTagsAsync(reference.Repository, cancellationToken);
            }
            catch (RegistryException e)
            {
                throw PullFailure($"failed to get chart version for remote reference: could not get tags for \"{chart}\": {e.Message}");
            }

            if (tags.Count == 0)
            {
                throw ChartBuildErrorReason.Pull.Failure(
                    $"failed to get chart version for remote reference: unable to locate any tags in provided repository: {chart}");
            }

            try
            {
                version = HelmIndex.SelectVersion([.. tags.Select(t => t.Replace('_', '+'))], chart, constraint, t => t);
            }
            catch (HelmIndexException)
            {
                throw ChartBuildErrorReason.Pull.Failure(
                    $"failed to get chart version for remote reference: could not locate a version matching provided version string {constraint}");
            }
        }

        return (version, async ct =>
        {
            var tagged = reference.WithTag(ChartRegistryClient.TagOf(version));
            try
            {
                return (await new ChartRegistryClient(options).PullAsync(tagged, ct: ct)).Archive;
            }
            catch (RegistryException e)
            {
                throw PullFailure($"failed to download chart for remote reference: failed to get 'oci://{tagged}': {e.Message}");
            }
        }
        );
    }

    // source-controller reports a download failure that looks like an authentication problem as one.
    private static ReconcileFailure PullFailure(string message)
    {
        string[] markers = ["401", "unauthorized", "authentication required", "tls", "unknown certificate authority"];
        var failure = ChartBuildErrorReason.Pull.Failure(message);
        return markers.Any(m => failure.Message.Contains(m, StringComparison.Ordinal))
            ? new ReconcileFailure(ConditionReasons.AuthenticationFailed, $"failed to authenticate with the Helm repository: {failure.Message}", ConditionTypes.FetchFailed)
            : failure;
    }
}

/// <summary>A source's <c>status.artifact</c>: where it is stored, its URL, digest and revision.</summary>
public sealed record JsonArtifact(string Path, string Url, string? Digest, string Revision);
