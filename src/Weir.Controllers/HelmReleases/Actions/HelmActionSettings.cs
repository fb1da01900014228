using Weir.Helm.Actions;
using Weir.Helm.Releases;

namespace Weir.Controllers.HelmReleases.Actions;

/// <summary>What every Helm action of a HelmRelease is given besides its own fields: storage, wait strategy, CEL health checks and the log.</summary>
internal static class HelmActionSettings
{
    public static T Shared<T>(T options, HelmReleaseRun run, HelmLogBuffer log)
        where T : ReleaseActionOptions =>
        (T)((ReleaseActionOptions)options with
        {
            StorageNamespace = run.StorageNamespace,
            WaitStrategy = run.Spec.WaitStrategy?.Name == "legacy" ? HelmWaitStrategy.Legacy : HelmWaitStrategy.Poller,
            HealthChecks = run.HealthChecks,
            Log = log.Add,
        });

    /// <summary>
    /// helm-controller's server-side apply setting: <c>enabled</c>, <c>disabled</c>, or <c>auto</c> (the default)
    /// following how <paramref name="basis"/> was applied. <c>force</c> only replaces objects without server-side
    /// apply, which always forces conflicts.
    /// </summary>
    public static bool ServerSideApply(string? setting, Release? basis) => setting switch
    {
        "enabled" => true,
        "disabled" => false,
        _ => basis is null || basis.ApplyMethod == "ssa",
    };
}
