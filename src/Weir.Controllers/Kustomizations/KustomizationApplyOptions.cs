using Weir.Core.Api.Kustomize;
using Weir.Runtime.Apply;

namespace Weir.Controllers.Kustomizations;

/// <summary>
/// How a Kustomization's objects are applied — and so what <c>weir diff</c> compares: <c>spec.force</c>, <c>spec.ignore</c>,
/// the <c>kustomize.toolkit.fluxcd.io/reconcile|ssa|force</c> annotations and Flux's cleanup of fields other managers own.
/// </summary>
public static class KustomizationApplyOptions
{
    private const string Group = KustomizeApi.Group;

    public static ApplyOptions For(KustomizationSpec spec) => new()
    {
        Force = spec.Force == true,
        ExclusionSelector = new Dictionary<string, string> { [$"{Group}/reconcile"] = "disabled", [$"{Group}/ssa"] = "Ignore" },
        IfNotPresentSelector = new Dictionary<string, string> { [$"{Group}/ssa"] = "IfNotPresent" },
        ForceSelector = new Dictionary<string, string> { [$"{Group}/force"] = "enabled" },
        Ignore = spec.Ignore,
        Cleanup = Cleanup,
    };

    /// <summary>
    /// Flux's cleanup before applying: kubectl's last-applied annotation goes, and fields set with kubectl (apply,
    /// edit, patch, set, …) or by this controller's own updates are taken over, so the apply undoes them.
    /// <c>kustomize.toolkit.fluxcd.io/ssa: Merge</c> opts an object out.
    /// </summary>
    private static readonly ApplyCleanupOptions Cleanup = new()
    {
        Annotations = ["kubectl.kubernetes.io/last-applied-configuration", $"{Group}/checksum", "fluxcd.io/sync-checksum"],
        Labels = ["fluxcd.io/sync-gc-mark"],
        FieldManagers =
        [
            new("kubectl", "Apply"),
            new("kubectl", "Update"),
            new("before-first-apply", "Update"),
            new(KustomizationReconciler.ControllerName, "Update"),
        ],
        Exclusions = new Dictionary<string, string> { [$"{Group}/ssa"] = "Merge" },
    };
}
