using Weir.Core.Api.Helm;
using Weir.Core.Time;

namespace Weir.Controllers.HelmReleases;

/// <summary>
/// The remediation of the last release action (Flux's <c>GetActiveRemediation</c>): after an install, the install's
/// (always by uninstalling); after an upgrade, the upgrade's (rollback by default, or uninstall). Retries count the
/// action's own failures; negative retries never run out.
/// </summary>
public sealed record Remediation(string Action, int Retries, bool RemediateLastFailure, bool IgnoreTestFailures, string Strategy)
{
    public const string Install = "install";
    public const string Upgrade = "upgrade";
    public const string Rollback = "rollback";
    public const string Uninstall = "uninstall";

    /// <summary>The status counter of the action's failures.</summary>
    public string Counter => Action == Install ? "installFailures" : "upgradeFailures";

    public static Remediation ForInstall(HelmReleaseSpec spec)
    {
        var r = spec.Install?.Remediation;
        return new(Install, r?.Retries ?? 0, r?.RemediateLastFailure ?? false, r?.IgnoreTestFailures ?? spec.Test?.IgnoreFailures ?? false, Uninstall);
    }

    public static Remediation ForUpgrade(HelmReleaseSpec spec)
    {
        var r = spec.Upgrade?.Remediation;
        var retries = r?.Retries ?? 0;
        return new(Upgrade, retries, r?.RemediateLastFailure ?? retries > 0, r?.IgnoreTestFailures ?? spec.Test?.IgnoreFailures ?? false,
            r?.Strategy is { Length: > 0 } s ? s : Rollback);
    }

    /// <summary>The remediation of <c>status.lastAttemptedReleaseAction</c>, or null before any release action.</summary>
    public static Remediation? Active(HelmReleaseRun run) => run.Status["lastAttemptedReleaseAction"]?.GetValue<string>() switch
    {
        Install => ForInstall(run.Spec),
        Upgrade => ForUpgrade(run.Spec),
        _ => null,
    };

    public long FailureCount(HelmReleaseRun run) => run.Failures(Counter);

    public bool RetriesExhausted(HelmReleaseRun run) => Retries >= 0 && FailureCount(run) > Retries;

    public void IncrementFailureCount(HelmReleaseRun run) => run.Increment(Counter);
}

/// <summary>The <c>RetryOnFailure</c> strategy of the last release action, when chosen: retry after an interval instead of remediating.</summary>
public sealed record RetryStrategy(TimeSpan Interval)
{
    public static RetryStrategy? Active(HelmReleaseRun run)
    {
        var (name, interval) = run.Status["lastAttemptedReleaseAction"]?.GetValue<string>() switch
        {
            Remediation.Install => (run.Spec.Install?.Strategy?.Name, run.Spec.Install?.Strategy?.RetryInterval),
            Remediation.Upgrade => (run.Spec.Upgrade?.Strategy?.Name, run.Spec.Upgrade?.Strategy?.RetryInterval),
            _ => (null, null),
        };
        return name == "RetryOnFailure" ? new RetryStrategy(FluxDuration.TryParse(interval, out var i) ? i : TimeSpan.FromMinutes(5)) : null;
    }
}
