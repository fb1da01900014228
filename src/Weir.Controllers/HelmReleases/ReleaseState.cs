using System.Text.Json.Nodes;
using Weir.Controllers.HelmReleases.Drift;
using Weir.Core.Objects;
using Weir.Helm.Releases;

namespace Weir.Controllers.HelmReleases;

/// <summary>Where a release stands against its HelmRelease (Flux's release states).</summary>
public enum ReleaseStatusKind
{
    /// <summary>Not in storage, or uninstalled.</summary>
    Absent,

    /// <summary>The latest record is pending (install, upgrade or rollback never finished).</summary>
    Locked,

    /// <summary>In storage but not as the history recorded it (changed behind the controller, or never made by it).</summary>
    Unmanaged,

    /// <summary>Deployed, but with another chart or values than wanted.</summary>
    OutOfSync,

    /// <summary>Deployed as wanted, tests enabled and not yet run.</summary>
    Untested,

    /// <summary>The release failed, or its tests did.</summary>
    Failed,

    /// <summary>Deployed as wanted, but the cluster's objects differ from the release.</summary>
    Drifted,

    InSync,
}

/// <summary>The state and why (for the log), with the latest stored record when there is one.</summary>
public sealed record ReleaseState(ReleaseStatusKind Status, string Reason = "", Release? Latest = null)
{
    /// <summary>What drift detection found, when <see cref="Status"/> is <see cref="ReleaseStatusKind.Drifted"/>.</summary>
    public DriftReport? Drift { get; init; }

    /// <summary>
    /// Flux's state determination: the latest record in storage, checked against the history's latest snapshot,
    /// then the chart and values, the tests and (when drift detection is on) the cluster.
    /// </summary>
    public static async Task<ReleaseState> DetermineAsync(
        HelmReleaseRun run, SecretReleaseStore store, Func<Release, CancellationToken, Task<DriftReport>>? detectDrift, CancellationToken cancellationToken)
    {
        var latest = await store.LastAsync(run.ReleaseName, cancellationToken);
        if (latest is null)
        {
            return new(ReleaseStatusKind.Absent, "no release in storage for object");
        }

        if (ReleaseStatus.IsPending(latest.Info.Status))
        {
            return new(ReleaseStatusKind.Locked, $"release with status '{latest.Info.Status}'", latest);
        }

        if (run.History.Latest is not { } current)
        {
            return latest.Info.Status == ReleaseStatus.Uninstalled
                ? new(ReleaseStatusKind.Absent, "found uninstalled release in storage", latest)
                : new(ReleaseStatusKind.Unmanaged, "found existing release in storage", latest);
        }

        if (!Observed(current, latest))
        {
            return new(ReleaseStatusKind.Unmanaged, "release not observed to be made for object", latest);
        }

        if (ReleaseHistory.Str(current, "digest") != ReleaseHistory.Digest(latest))
        {
            return new(ReleaseStatusKind.Unmanaged, "release digest verification error", latest);
        }

        switch (latest.Info.Status)
        {
            case ReleaseStatus.Failed:
                return new(ReleaseStatusKind.Failed, "", latest);
            case ReleaseStatus.Uninstalled:
                return new(ReleaseStatusKind.Absent, "found uninstalled release in storage", latest);
            case ReleaseStatus.Deployed:
                break;
            default:
                throw new InvalidOperationException($"unable to determine state for release with status '{latest.Info.Status}'");
        }

        if (latest.ChartName != run.Chart!.Name || latest.ChartVersion != run.Chart.Metadata.Version)
        {
            return new(ReleaseStatusKind.OutOfSync, "release chart changed", latest);
        }

        if (ReleaseHistory.Str(current, "configDigest") != run.ConfigDigest)
        {
            return new(ReleaseStatusKind.OutOfSync, "release config values changed", latest);
        }

        // Post-renderers and common metadata are compared for a new generation only; their digests are observed after each release.
        if (run.Status["observedGeneration"]?.GetValue<long>() != run.Object.Generation())
        {
            if (run.Status["observedPostRenderersDigest"]?.GetValue<string>() != run.PostRenderersDigest)
            {
                return new(ReleaseStatusKind.OutOfSync, "postrenderers digest has changed", latest);
            }

            if (run.Status["observedCommonMetadataDigest"]?.GetValue<string>() != run.CommonMetadataDigest)
            {
                return new(ReleaseStatusKind.OutOfSync, "common metadata digest has changed", latest);
            }
        }

        if (run.Spec.Test?.Enable == true)
        {
            if (!ReleaseHistory.HasBeenTested(current))
            {
                return new(ReleaseStatusKind.Untested, "", latest);
            }

            var remediation = Remediation.Active(run);
            if (remediation is not null && !remediation.IgnoreTestFailures && ReleaseHistory.HasTestInPhase(current, HookExecution.Failed))
            {
                return new(ReleaseStatusKind.Failed, "release has test in failed phase", latest);
            }
        }

        if (detectDrift is not null && await detectDrift(latest, cancellationToken) is { HasDrift: true } drift)
        {
            return new(ReleaseStatusKind.Drifted, drift.Brief, latest) { Drift = drift };
        }

        return new(ReleaseStatusKind.InSync, "", latest);
    }

    private static bool Observed(JsonObject snapshot, Release release) =>
        ReleaseHistory.Str(snapshot, "name") == release.Name && ReleaseHistory.Str(snapshot, "namespace") == release.Namespace
        && snapshot["version"]?.GetValue<int>() == release.Version;
}
