using Weir.Helm.Releases;

namespace Weir.Helm.Actions;

/// <summary>
/// <c>helm rollback</c>: a new revision (<c>pending-rollback</c>, <c>Rollback to N</c>) holding revision N's chart,
/// values, manifest and hooks; pre-rollback hooks, its resources applied and the current ones it lacks deleted, the
/// wait, post-rollback hooks; then every deployed revision <c>superseded</c> and the new one <c>deployed</c>. On
/// failure the new revision is <c>failed</c> and the current one <c>superseded</c>.
/// </summary>
internal sealed class RollbackAction(HelmCluster cluster)
{
    public async Task<Release> RunAsync(RollbackOptions o, CancellationToken cancellationToken)
    {
        var log = new HelmLog(o.Log);
        log.Debug("preparing rollback", ("name", o.ReleaseName));
        var store = cluster.Store(o.StorageNamespace ?? o.Namespace);
        var history = await store.HistoryAsync(o.ReleaseName, cancellationToken);
        if (history.Count == 0)
        {
            throw new HelmActionException("release: not found");
        }

        var current = history[^1];
        if (ReleaseStatus.IsPending(current.Info.Status))
        {
            throw new ReleaseInProgressException(current);
        }

        var previousVersion = o.Version > 0 ? o.Version : current.Version - 1;
        var previous = history.FirstOrDefault(r => r.Version == previousVersion)
            ?? throw new HelmActionException($"release has no {previousVersion} version");
        log.Debug("rolling back", ("name", o.ReleaseName), ("currentVersion", current.Version), ("targetVersion", previousVersion));
        var description = o.Description.Length > 0 ? o.Description : $"Rollback to {previousVersion}";
        var rollback = previous with
        {
            Version = current.Version + 1,
            Info = new ReleaseInfo
            {
                FirstDeployed = current.Info.FirstDeployed,
                LastDeployed = DateTimeOffset.UtcNow,
                Status = ReleaseStatus.PendingRollback,
                Description = description,
                Notes = previous.Info.Notes,
                RollbackRevision = previousVersion,
            },
            Hooks = previous.Hooks.Select(h => h with { LastRun = new HookExecution() }).ToList(),
            ApplyMethod = "ssa",
        };
        var before = await cluster.Resources.BuildAsync(current.Manifest, o.Namespace, o.ReleaseName, cancellationToken);
        var target = await cluster.Resources.BuildAsync(rollback.Manifest, o.Namespace, o.ReleaseName, cancellationToken);
        await cluster.PruneHistoryAsync(store, o.ReleaseName, o.MaxHistory, cancellationToken);
        log.Debug("creating rolled back release", ("name", o.ReleaseName));
        await store.CreateAsync(rollback, cancellationToken);
        log.Debug("performing rollback", ("name", o.ReleaseName));
        try
        {
            rollback = await cluster.PerformAsync(rollback, "rollback", before, target, o, phase => $"{phase} hooks failed: ", cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Warn($"Rollback \"{o.ReleaseName}\" failed");
            rollback = HelmCluster.Failed(rollback, e, $"Rollback \"{o.ReleaseName}\" failed: {e.Message}");
            await store.UpdateAsync(current.WithStatus(ReleaseStatus.Superseded, current.Info.Description), cancellationToken);
            await store.UpdateAsync(rollback, cancellationToken);
            throw new HelmActionException($"release {o.ReleaseName} failed: {e.Message}", rollback, e);
        }

        foreach (var deployed in (await store.HistoryAsync(o.ReleaseName, cancellationToken)).Where(r => r.Info.Status == ReleaseStatus.Deployed))
        {
            await store.UpdateAsync(deployed.WithStatus(ReleaseStatus.Superseded, deployed.Info.Description), cancellationToken);
        }

        rollback = rollback.WithStatus(ReleaseStatus.Deployed, description);
        await store.UpdateAsync(rollback, cancellationToken);
        return rollback;
    }
}
