using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.Helm;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Helm.Charts;
using Weir.Runtime.Controllers;
using Weir.Runtime.Health;
using Weir.Templates.Values;

namespace Weir.Controllers.HelmReleases;

/// <summary>One HelmRelease reconcile: its typed spec, the release it manages, and what the steps learn on the way.</summary>
public sealed class HelmReleaseRun : ReconcileRun
{
    public const string Group = HelmApi.Group;

    /// <summary>Flux's default of <c>spec.timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public HelmReleaseRun(JsonObject obj, TimeProvider clock)
        : base(obj, TimeSpan.FromMinutes(10), clock)
    {
        Release = ApiObjects.Read<HelmRelease>(obj);
        Spec = Release.Spec ?? new HelmReleaseSpec();
        ReleaseName = ReleaseNames.For(Key.Name, Spec);
        ReleaseNamespace = Spec.TargetNamespace is { Length: > 0 } target ? target : Key.Namespace;
        StorageNamespace = Spec.StorageNamespace is { Length: > 0 } storage ? storage : Key.Namespace;
        Timeout = FluxDuration.TryParse(Spec.Timeout, out var t) ? t : DefaultTimeout;
        History = new ReleaseHistory(Status["history"] as JsonArray);
        ForceRequested = Requested("forceAt", "lastHandledForceAt");
        ResetRequested = Requested("resetAt", "lastHandledResetAt");
    }

    /// <summary>The HelmRelease as read, typed.</summary>
    public HelmRelease Release { get; }

    public HelmReleaseSpec Spec { get; }

    /// <summary>The digest <c>status.observedPostRenderersDigest</c> records for the current post-renderers (null without any).</summary>
    public string? PostRenderersDigest => Spec.PostRenderers is null ? null : PostRenderers.ReleasePostRenderer.Digest(Spec.PostRenderers);

    /// <summary>The digest <c>status.observedCommonMetadataDigest</c> records for the current common metadata (null without any).</summary>
    public string? CommonMetadataDigest => Spec.CommonMetadata is null ? null : PostRenderers.ReleasePostRenderer.CommonMetadataDigest(Spec.CommonMetadata);

    public string ReleaseName { get; }

    /// <summary>Where the release's objects go: <c>spec.targetNamespace</c>, else the HelmRelease's namespace.</summary>
    public string ReleaseNamespace { get; }

    /// <summary>Where Helm's release Secrets go: <c>spec.storageNamespace</c>, else the HelmRelease's namespace.</summary>
    public string StorageNamespace { get; }

    public TimeSpan Timeout { get; }

    /// <summary><c>status.history</c> as the actions change it; written back with the status.</summary>
    public ReleaseHistory History { get; }

    /// <summary><c>spec.healthCheckExprs</c>, parsed (the reconciler's first step); used by the poller wait.</summary>
    public CustomHealthChecks HealthChecks { get; set; } = CustomHealthChecks.None;

    /// <summary>The chart to release (loaded by the chart step).</summary>
    public Chart? Chart { get; set; }

    /// <summary>The composed values (the values step).</summary>
    public GoMap Values { get; set; } = new();

    /// <summary>Digest of <see cref="Values"/> as Flux computes it (<c>sha256:…</c>).</summary>
    public string ConfigDigest { get; set; } = "";

    /// <summary>The OCI digest of the chart when its source has one (OCIRepository).</summary>
    public string? OciDigest { get; set; }

    /// <summary><c>spec.maxHistory</c>: 5 when unset, 0 for all.</summary>
    public int MaxHistory => Spec.MaxHistory ?? 5;

    /// <summary>A one-off install/upgrade is asked for (<c>reconcile.fluxcd.io/forceAt</c> equal to <c>requestedAt</c>, not yet handled).</summary>
    public bool ForceRequested { get; }

    /// <summary>A reset of the failure counters is asked for (<c>reconcile.fluxcd.io/resetAt</c>).</summary>
    public bool ResetRequested { get; }

    /// <summary>Writes the status now, with the history as the actions left it (the loop shows its progress this way).</summary>
    public Task PatchWithHistoryAsync(CancellationToken cancellationToken)
    {
        Status["history"] = History.ToJson();
        return PatchStatusAsync(cancellationToken);
    }

    public long Failures(string counter) => Status[counter]?.GetValue<long>() ?? 0;

    public void Increment(string counter) => Status[counter] = Failures(counter) + 1;

    /// <summary>Flux's <c>ClearFailures</c>.</summary>
    public void ClearFailures()
    {
        Status.Remove("failures");
        Status.Remove("installFailures");
        Status.Remove("upgradeFailures");
    }

    /// <summary>Sets the event annotations Flux's HelmRelease events carry (chart version, config digest).</summary>
    public void SetEventMetadata(string? chartVersion, string? configDigest)
    {
        Set("revision", chartVersion);
        Set("token", configDigest);

        void Set(string name, string? value)
        {
            if (value is { Length: > 0 })
            {
                EventMetadata[$"{Group}/{name}"] = value;
            }
            else
            {
                EventMetadata.Remove($"{Group}/{name}");
            }
        }
    }

    /// <summary>Marks a handled force or reset request in the status (done at the end of every run that saw it).</summary>
    public void HandleRequest(string annotation, string statusField)
    {
        if (Object.Annotations().GetValueOrDefault($"reconcile.fluxcd.io/{annotation}") is { Length: > 0 } value)
        {
            Status[statusField] = value;
        }
    }

    private bool Requested(string annotation, string statusField)
    {
        var annotations = Object.Annotations();
        return annotations.GetValueOrDefault($"reconcile.fluxcd.io/{annotation}") is { Length: > 0 } value
            && value == annotations.GetValueOrDefault(Predicates.RequestedAtAnnotation)
            && value != Status[statusField]?.GetValue<string>();
    }
}
