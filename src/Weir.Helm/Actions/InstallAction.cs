using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Helm.Charts;
using Weir.Helm.Releases;
using Weir.Helm.Rendering;
using Weir.Runtime.Kube;
using Weir.Templates.Values;

namespace Weir.Helm.Actions;

/// <summary>
/// <c>helm install</c>: CRDs, the name check, rendering, a <c>pending-install</c> record, pre-install hooks, the
/// resources applied, the readiness wait, post-install hooks, then <c>deployed</c> — or <c>failed</c>, and with
/// rollback-on-failure the release uninstalled.
/// </summary>
internal sealed class InstallAction(HelmCluster cluster)
{
    public async Task<Release> RunAsync(Chart chart, GoMap values, InstallOptions o, CancellationToken cancellationToken)
    {
        var store = cluster.Store(o.StorageNamespace ?? o.Namespace);
        var history = await store.HistoryAsync(o.ReleaseName, cancellationToken);
        if (history.Count > 0 && !(o.Replace && history[^1].Info.Status is ReleaseStatus.Uninstalled or ReleaseStatus.Failed))
        {
            throw new ReleaseNameInUseException();
        }

        var version = history.Count > 0 ? history[^1].Version + 1 : 1;
        if (!o.SkipCrds)
        {
            await cluster.InstallCrdsAsync(chart, o.Timeout, o.ReplaceCrds, cancellationToken);
        }

        var rendered = await cluster.RenderAsync(
            chart, values, new ReleaseOptions(o.ReleaseName, o.Namespace) { Revision = version, IsInstall = true }, o.Capabilities, o.PostRenderer, o.PostRenderStrategy,
            o.SkipSchemaValidation, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var release = HelmCluster.NewRevision(o, version, chart, values, rendered, o.Labels) with
        {
            Info = new ReleaseInfo
            {
                FirstDeployed = now,
                LastDeployed = now,
                Status = ReleaseStatus.PendingInstall,
                Description = "Initial install underway",
                Notes = rendered.Notes,
            },
        };
        var objects = await cluster.Resources.BuildAsync(release.Manifest, o.Namespace, o.ReleaseName, cancellationToken);
        if (!o.TakeOwnership)
        {
            await cluster.Resources.CheckOwnershipAsync(objects, o.ReleaseName, o.Namespace, "install", cancellationToken);
        }

        if (o.CreateNamespace)
        {
            await CreateNamespaceAsync(o, cancellationToken);
        }

        await store.CreateAsync(release, cancellationToken);
        try
        {
            release = await cluster.PerformAsync(release, "install", [], objects, o, phase => $"failed {phase}: ", cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            release = HelmCluster.Failed(release, e, $"Release \"{o.ReleaseName}\" failed: {e.Message}");
            await store.UpdateAsync(release, cancellationToken);
            if (!o.RollbackOnFailure)
            {
                throw new HelmActionException(e.Message, release, e);
            }

            new HelmLog(o.Log).Debug("install failed and rollback-on-failure is set, uninstalling release", ("release", o.ReleaseName));
            try
            {
                await cluster.UninstallAsync(
                    new UninstallOptions(o.ReleaseName, o.Namespace) { StorageNamespace = o.StorageNamespace, DisableHooks = o.DisableHooks, Timeout = o.Timeout, Wait = true, Log = o.Log },
                    cancellationToken);
            }
            catch (HelmActionException uninstall)
            {
                throw new HelmActionException($"an error occurred while uninstalling the release. original install error: {e.Message}: {uninstall.Message}", release, e);
            }

            throw new HelmActionException($"release {o.ReleaseName} failed, and has been uninstalled due to rollback-on-failure being set: {e.Message}", release, e);
        }

        release = release.WithStatus(ReleaseStatus.Deployed, o.Description.Length > 0 ? o.Description : "Install complete");
        await store.UpdateAsync(release, cancellationToken);
        return release;
    }

    /// <summary>Helm's <c>--create-namespace</c>: the release's namespace, labelled <c>name: NS</c>, applied when it is missing.</summary>
    private async Task CreateNamespaceAsync(InstallOptions o, CancellationToken cancellationToken)
    {
        var client = cluster.Resources.Client;
        if (await client.GetAsync(KubeResource.Namespace, new ObjectKey("", o.Namespace), cancellationToken) is not null)
        {
            return;
        }

        new HelmLog(o.Log).Debug("creating resource(s)", ("resources", 1));
        var ns = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = o.Namespace, ["labels"] = new JsonObject { ["name"] = o.Namespace } },
        };
        try
        {
            await client.ApplyAsync(KubeResource.Namespace, ns, ReleaseResources.FieldManager, force: false, cancellationToken: cancellationToken);
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            // Created meanwhile: Helm ignores AlreadyExists.
        }
    }
}
