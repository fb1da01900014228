using Weir.Core.Time;

namespace Weir.Controllers.HelmReleases.Actions;

/// <summary>An action's own <c>timeout</c> field, else <c>spec.timeout</c> (5m0s).</summary>
internal static class ActionTimeouts
{
    public static TimeSpan Of(string? actionTimeout, HelmReleaseRun run) =>
        FluxDuration.TryParse(actionTimeout, out var t) ? t : run.Timeout;
}
