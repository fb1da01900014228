using Weir.Core.Api.Helm;

namespace Weir.Controllers.HelmReleases.Drift;

/// <summary><c>spec.driftDetection.mode</c>: correct drift, only report it, or (the default) ignore it.</summary>
public enum DriftMode
{
    Disabled,
    Warn,
    Enabled,
}

public static class DriftModes
{
    public static DriftMode Of(DriftDetection? settings) => settings?.Mode switch
    {
        "enabled" => DriftMode.Enabled,
        "warn" => DriftMode.Warn,
        _ => DriftMode.Disabled,
    };

    /// <summary>True when drift is looked for at all (enabled or warn).</summary>
    public static bool Detects(this DriftMode mode) => mode != DriftMode.Disabled;
}
