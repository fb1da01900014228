using Weir.Helm.Actions;
using Weir.Helm.Releases;
using Weir.Runtime.Controllers;

namespace Weir.Controllers.HelmReleases.Actions;

/// <summary>The kinds of action the atomic release runs; each runs at most once per reconcile.</summary>
public enum ActionKind
{
    Release,
    Test,
    Remediate,
    Unlock,
    DriftCorrection,
}

/// <summary>What an action works with: the run, Helm against the target cluster, and the release's storage.</summary>
public sealed record ReleaseContext(HelmReleaseRun Run, HelmCluster Helm, SecretReleaseStore Store, JsonLog Log)
{
    /// <summary>Records the release as stored (refreshing or adding its snapshot).</summary>
    public void Observe(Release? release, string? action = null, string? ociDigest = null)
    {
        if (release is not null)
        {
            Run.History.Observe(release, action, ociDigest);
        }
    }

    /// <summary>Refreshes the snapshots of every stored revision the history holds (statuses move on, e.g. to superseded).</summary>
    public async Task ObserveStoredAsync(CancellationToken cancellationToken)
    {
        foreach (var release in await Store.HistoryAsync(Run.ReleaseName, cancellationToken))
        {
            if (Run.History.Items.Any(s => s["version"]?.GetValue<int>() == release.Version && ReleaseHistory.Str(s, "name") == release.Name))
            {
                Run.History.Observe(release);
            }
        }
    }
}

/// <summary>
/// One of helm-controller's action reconcilers (install, upgrade, test, rollback remediation, uninstall remediation,
/// unlock, drift correction). An action records its outcome on the run (conditions, history, counters, events); it
/// throws only when it could not record anything (a <see cref="ReleaseActionException"/>).
/// </summary>
public interface IReleaseAction
{
    /// <summary>The action's name in Flux's messages (<c>Running 'install' action with timeout of 5m0s</c>).</summary>
    string Name { get; }

    ActionKind Kind { get; }

    TimeSpan Timeout(HelmReleaseRun run);

    Task RunAsync(ReleaseContext context, CancellationToken cancellationToken);
}

/// <summary>An action failed before Helm stored anything (e.g. the chart would not render): the reconcile fails with it.</summary>
public sealed class ReleaseActionException(string message, Exception? inner = null) : Exception(message, inner);
