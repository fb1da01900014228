using Weir.Core.Api.Meta;
using Weir.Helm.Actions;
using Weir.Helm.Releases;
using Weir.Runtime.Apply;
using Weir.Runtime.Kube;

namespace Weir.Controllers.HelmReleases.Drift;

/// <summary>The cluster state of a release could not be compared or corrected: a dry-run or a read failed.</summary>
public sealed class DriftDetectionException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Drift of a Helm release's objects against the cluster, as helm-controller's drift detection does it: the release
/// manifest's objects (in the release's namespace, with Helm's ownership metadata) compared with the cluster through
/// the applier's server-side dry-run diff, <c>driftDetection.ignore</c> rules and the
/// <c>helm.toolkit.fluxcd.io/driftDetection: disabled</c> exclusion applied; corrected by a server-side apply
/// (conflicts forced) of the drifted objects with Helm's field manager.
/// </summary>
public sealed class ReleaseDrift
{
    /// <summary>The label or annotation that leaves an object out of drift detection, with <see cref="DisabledValue"/>.</summary>
    public const string DisabledKey = "helm.toolkit.fluxcd.io/driftDetection";
    public const string DisabledValue = "disabled";

    /// <summary>The field manager Helm's actions apply with, so a correction owns what the release owns.</summary>
    public const string FieldManager = "helm";

    private readonly HelmCluster helm;
    private readonly ServerSideApplier applier;

    public ReleaseDrift(ResourceClient client)
    {
        helm = new HelmCluster(client);
        applier = new ServerSideApplier(client, new ResourceMapper(client), FieldManager);
    }

    /// <exception cref="DriftDetectionException">The release's objects cannot be read or dry-run (<c>unable to determine cluster state: …</c>).</exception>
    public async Task<DriftReport> DetectAsync(Release release, IReadOnlyList<IgnoreRule>? ignore, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<DiffEntry> entries;
        IReadOnlyList<System.Text.Json.Nodes.JsonObject> objects;
        try
        {
            objects = await helm.ReleaseObjectsAsync(release, cancellationToken);
            entries = await applier.DiffAsync(objects, Options(ignore), cancellationToken);
        }
        catch (Exception e) when (e is HelmActionException or ApplyException)
        {
            throw new DriftDetectionException($"unable to determine cluster state: {e.Message}", e);
        }

        var drifted = new List<DriftedObject>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            switch (entry.Action)
            {
                case ChangeAction.Created:
                    drifted.Add(new DriftedObject(entry.Object, DriftType.Removed, 0, 0, 0, objects[i]));
                    break;
                case ChangeAction.Skipped:
                    drifted.Add(new DriftedObject(entry.Object, DriftType.Excluded, 0, 0, 0, objects[i]));
                    break;
                case ChangeAction.Configured when entry.Existing is { } existing && entry.DryRun is { } dryRun:
                    var changes = Weir.Runtime.Apply.Drift.Changes(existing, dryRun);
                    drifted.Add(new DriftedObject(
                        entry.Object, DriftType.Changed,
                        changes.Count(c => c.Before is null), changes.Count(c => c.Before is not null && c.After is not null), changes.Count(c => c.After is null),
                        objects[i]));
                    break;
            }
        }

        return new DriftReport(drifted);
    }

    /// <summary>
    /// Applies the removed and changed objects of <paramref name="report"/> (fields under <paramref name="ignore"/>
    /// rules keep their cluster state). A failed apply is reported in the result, with what was corrected before it.
    /// </summary>
    public async Task<DriftCorrection> CorrectAsync(DriftReport report, IReadOnlyList<IgnoreRule>? ignore, CancellationToken cancellationToken = default)
    {
        var objects = report.Objects.Where(o => o.Type is DriftType.Removed or DriftType.Changed).Select(o => o.Desired).ToList();
        if (objects.Count == 0)
        {
            return new DriftCorrection(new ChangeSet(), null);
        }

        try
        {
            return new DriftCorrection(await applier.ApplyAllStagedAsync(objects, Options(ignore), cancellationToken), null);
        }
        catch (ApplyException e)
        {
            return new DriftCorrection(e.ChangeSet, e.Message);
        }
    }

    private static ApplyOptions Options(IReadOnlyList<IgnoreRule>? ignore) => new()
    {
        Ignore = ignore,
        ExclusionSelector = new Dictionary<string, string> { [DisabledKey] = DisabledValue },
    };
}
