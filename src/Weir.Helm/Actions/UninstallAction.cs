using Weir.Helm.Releases;

namespace Weir.Helm.Actions;

/// <summary>
/// <c>helm uninstall</c>: the latest revision marked <c>uninstalling</c>, pre-delete hooks, the resources deleted
/// (except <c>helm.sh/resource-policy: keep</c>), optionally waited for, post-delete hooks; then every record removed,
/// or with keep-history the latest kept as <c>uninstalled</c>. Returns that record (null when purged).
/// </summary>
internal sealed class UninstallAction(HelmCluster cluster)
{
    public async Task<Release?> RunAsync(UninstallOptions o, CancellationToken cancellationToken)
    {
        var log = new HelmLog(o.Log);
        log.Debug("uninstall: deleting release", ("name", o.ReleaseName));
        var store = cluster.Store(o.StorageNamespace ?? o.Namespace);
        var history = await store.HistoryAsync(o.ReleaseName, cancellationToken);
        if (history.Count == 0)
        {
            throw new HelmActionException($"uninstall: Release not loaded: {o.ReleaseName}: release: not found");
        }

        var release = history[^1];
        if (release.Info.Status == ReleaseStatus.Uninstalled)
        {
            if (o.KeepHistory)
            {
                throw new HelmActionException($"the release named \"{o.ReleaseName}\" is already deleted", release);
            }

            await PurgeAsync(store, history, cancellationToken);
            return null;
        }

        release = release with
        {
            Info = release.Info with
            {
                Status = ReleaseStatus.Uninstalling,
                Description = "Deletion in progress (or silently failed)",
                Deleted = DateTimeOffset.UtcNow,
            },
        };
        await store.UpdateAsync(release, cancellationToken);
        var objects = await cluster.Resources.BuildAsync(release.Manifest, o.Namespace, owner: null, cancellationToken);
        release = await cluster.RunHooksAsync(release, "pre-delete", o, "", cancellationToken);
        var kept = await cluster.Resources.DeleteAsync(objects, cancellationToken, Propagation(o.DeletionPropagation, log));
        if (o.Wait)
        {
            log.Debug("waiting for resources to be deleted", ("count", objects.Count - kept.Count), ("timeout", o.Timeout));
            await cluster.Resources.WaitDeletedAsync(objects.Where(x => !kept.Contains(Runtime.Apply.ObjectRef.Of(x))), o.Timeout, cancellationToken);
        }

        release = await cluster.RunHooksAsync(release, "post-delete", o, "", cancellationToken);
        release = release.WithStatus(ReleaseStatus.Uninstalled, o.Description.Length > 0 ? o.Description : "Uninstallation complete");
        if (!o.KeepHistory)
        {
            log.Debug("purge requested", ("release", o.ReleaseName));
            await PurgeAsync(store, await store.HistoryAsync(o.ReleaseName, cancellationToken), cancellationToken);
            return null;
        }

        await store.UpdateAsync(release, cancellationToken);
        return release;
    }

    /// <summary>Helm's <c>--cascade</c> values as the API's propagation policies; anything else is background, with a warning.</summary>
    private static string Propagation(string cascade, HelmLog log)
    {
        switch (cascade)
        {
            case "background":
                return "Background";
            case "foreground":
                return "Foreground";
            case "orphan":
                return "Orphan";
            default:
                log.Warn("uninstall: given cascade value, defaulting to delete propagation background", ("value", cascade));
                return "Background";
        }
    }

    private static async Task PurgeAsync(SecretReleaseStore store, IEnumerable<Release> history, CancellationToken cancellationToken)
    {
        foreach (var r in history)
        {
            await store.DeleteAsync(r.Name, r.Version, cancellationToken);
        }
    }
}
