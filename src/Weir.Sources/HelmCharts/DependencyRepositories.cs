using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.Source;
using Weir.Helm.Dependencies;
using Weir.Helm.Repositories;
using Weir.Oci.Distribution;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Sources.HelmRepositories;
using Weir.Sources.Storage;

namespace Weir.Sources.HelmCharts;

/// <summary>
/// The repositories a chart's dependencies are downloaded from, as source-controller finds them: a HelmRepository in
/// the HelmChart's namespace whose (normalized) URL is the dependency's lends its <c>secretRef</c>,
/// <c>certSecretRef</c>, <c>passCredentials</c>, <c>insecure</c>, <c>timeout</c> and its stored index; without one the
/// URL is used anonymously with a 60 s timeout and the index is downloaded.
/// </summary>
public sealed class DependencyRepositories(ResourceClient client, ArtifactStore store, HelmRepositoryAccess access)
{
    public ChartRepositoryResolver For(string ns) => (url, cancellationToken) => ResolveAsync(ns, url, cancellationToken);

    private async Task<IChartRepository> ResolveAsync(string ns, string url, CancellationToken cancellationToken)
    {
        try
        {
            var (spec, index) = await FindAsync(ns, url, cancellationToken);
            if (ChartRepositoryUrl.IsOci(url))
            {
                var host = OciReference.Parse(url + "/chart").Host;
                return new OciChartRepository(url, await access.RegistryOptionsForAsync(ns, spec, host, cancellationToken));
            }

            return new IndexChartRepository(new Uri(url), await access.CredentialsForAsync(ns, spec, cancellationToken), index);
        }
        catch (Exception e) when (e is ReconcileFailure or KubeApiException or FormatException or UriFormatException or IOException)
        {
            throw new ChartRepositoryException(e.Message, e);
        }
    }

    /// <summary>The HelmRepository for <paramref name="url"/> (or a bare one with the URL) and its stored index, if any.</summary>
    private async Task<(HelmRepositorySpec Spec, byte[]? Index)> FindAsync(string ns, string url, CancellationToken cancellationToken)
    {
        var (items, _) = await client.ListAsync(KubeResource.HelmRepository, ns, cancellationToken: cancellationToken);
        var match = items
            .OrderBy(i => i["metadata"]?["name"]?.GetValue<string>(), StringComparer.Ordinal)
            .FirstOrDefault(i => ChartRepositoryUrl.Normalize(i["spec"]?["url"]?.GetValue<string>() ?? "") == url);
        if (match is null)
        {
            return (new HelmRepositorySpec { Url = url }, null);
        }

        var spec = ApiObjects.Read<HelmRepository>(match).Spec ?? new HelmRepositorySpec { Url = url };
        return (spec, await StoredIndexAsync(match, cancellationToken));
    }

    private async Task<byte[]?> StoredIndexAsync(JsonObject repository, CancellationToken cancellationToken)
    {
        if (repository["status"]?["artifact"]?["path"]?.GetValue<string>() is not { } path || !store.Exists(path))
        {
            return null;
        }

        await using var stored = store.OpenRead(path);
        using var buffer = new MemoryStream();
        await stored.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
