using Weir.Helm.Charts;
using Weir.Helm.Releases;
using Weir.Helm.Rendering;
using Weir.Helm.Values;
using Weir.Templates.Values;

namespace Weir.Helm.Actions;

/// <summary>
/// <c>helm upgrade</c>: refused while the latest revision is pending; a <c>pending-upgrade</c> revision, pre-upgrade
/// hooks, the new resources applied and the ones it dropped deleted, the readiness wait, post-upgrade hooks; then the
/// previous revision <c>superseded</c> and the new one <c>deployed</c>. A failure leaves the new revision <c>failed</c>
/// (the previous one stays deployed) and, with rollback-on-failure, rolls back to the last successful revision.
/// </summary>
internal sealed class UpgradeAction(HelmCluster cluster)
{
    public async Task<Release> RunAsync(Chart chart, GoMap values, UpgradeOptions o, CancellationToken cancellationToken)
    {
        var log = new HelmLog(o.Log);
        log.Debug("preparing upgrade", ("name", o.ReleaseName));
        var store = cluster.Store(o.StorageNamespace ?? o.Namespace);
        var history = await store.HistoryAsync(o.ReleaseName, cancellationToken);
        if (history.Count == 0)
        {
            throw new NoDeployedReleasesException(o.ReleaseName);
        }

        var last = history[^1];
        if (ReleaseStatus.IsPending(last.Info.Status))
        {
            throw new ReleaseInProgressException(last);
        }

        var current = history.LastOrDefault(r => r.Info.Status == ReleaseStatus.Deployed)
            ?? (last.Info.Status is ReleaseStatus.Failed or ReleaseStatus.Superseded ? last : throw new NoDeployedReleasesException(o.ReleaseName));
        if (o.ReuseValues)
        {
            values = ValuesCoalescer.MergeTables(values, HelmCluster.FromJson(current.Config));
        }

        if (!o.SkipCrds)
        {
            await cluster.InstallCrdsAsync(chart, o.Timeout, o.ReplaceCrds, cancellationToken);
        }

        var rendered = await cluster.RenderAsync(
            chart, values, new ReleaseOptions(o.ReleaseName, o.Namespace) { Revision = last.Version + 1, IsInstall = false, IsUpgrade = true },
            o.Capabilities, o.PostRenderer, o.PostRenderStrategy, o.SkipSchemaValidation, cancellationToken);
        var upgraded = HelmCluster.NewRevision(o, last.Version + 1, chart, values, rendered, current.Labels) with
        {
            Info = new ReleaseInfo
            {
                FirstDeployed = current.Info.FirstDeployed,
                LastDeployed = DateTimeOffset.UtcNow,
                Status = ReleaseStatus.PendingUpgrade,
                Description = "Preparing upgrade",
                Notes = rendered.Notes,
            },
        };
        var before = await cluster.Resources.BuildAsync(current.Manifest, o.Namespace, o.ReleaseName, cancellationToken);
        var target = await cluster.Resources.BuildAsync(upgraded.Manifest, o.Namespace, o.ReleaseName, cancellationToken);
        if (!o.TakeOwnership)
        {
            await cluster.Resources.CheckOwnershipAsync(ReleaseResources.Removed(target, before), o.ReleaseName, o.Namespace, "update", cancellationToken);
        }

        await cluster.PruneHistoryAsync(store, o.ReleaseName, o.MaxHistory, cancellationToken);
        log.Debug("creating upgraded release", ("name", o.ReleaseName));
        await store.CreateAsync(upgraded, cancellationToken);
        log.Debug("performing update", ("name", o.ReleaseName));
        try
        {
            upgraded = await cluster.PerformAsync(upgraded, "upgrade", before, target, o, phase => $"{phase} hooks failed: ", cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Warn("upgrade failed", ("name", o.ReleaseName));
            upgraded = HelmCluster.Failed(upgraded, e, $"Upgrade \"{o.ReleaseName}\" failed: {e.Message}");
            await store.UpdateAsync(upgraded, cancellationToken);
            if (!o.RollbackOnFailure)
            {
                throw new HelmActionException(e.Message, upgraded, e);
            }

            log.Debug("Upgrade failed and rollback-on-failure is set, rolling back to previous successful release");
            var good = (await store.HistoryAsync(o.ReleaseName, cancellationToken))
                .LastOrDefault(r => r.Info.Status is ReleaseStatus.Deployed or ReleaseStatus.Superseded)
                ?? throw new HelmActionException($"unable to find a previously successful release when attempting to rollback. original upgrade error: {e.Message}", upgraded, e);
            try
            {
                await cluster.RollbackAsync(
                    new RollbackOptions(o.ReleaseName, o.Namespace)
                    {
                        StorageNamespace = o.StorageNamespace,
                        Version = good.Version,
                        Wait = true,
                        WaitForJobs = o.WaitForJobs,
                        WaitStrategy = o.WaitStrategy,
                        HealthChecks = o.HealthChecks,
                        Timeout = o.Timeout,
                        DisableHooks = o.DisableHooks,
                        ForceReplace = o.ForceReplace,
                        MaxHistory = o.MaxHistory,
                        Log = o.Log,
                    },
                    cancellationToken);
            }
            catch (HelmActionException rollback)
            {
                throw new HelmActionException($"an error occurred while rolling back the release. original upgrade error: {e.Message}: {rollback.Message}", upgraded, e);
            }

            throw new HelmActionException($"release {o.ReleaseName} failed, and has been rolled back due to rollback-on-failure being set: {e.Message}", upgraded, e);
        }

        await store.UpdateAsync(current.WithStatus(ReleaseStatus.Superseded, "superseded by new release"), cancellationToken);
        upgraded = upgraded.WithStatus(ReleaseStatus.Deployed, o.Description.Length > 0 ? o.Description : "Upgrade complete");
        await store.UpdateAsync(upgraded, cancellationToken);
        return upgraded;
    }
}
