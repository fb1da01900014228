using System.Text.Json.Nodes;
using Weir.Controllers.HelmReleases.Actions;
using Weir.Controllers.HelmReleases.Drift;
using Weir.Controllers.HelmReleases.Values;
using Weir.Controllers.Kustomizations;
using Weir.Core.Api.Helm;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Helm.Actions;
using Weir.Helm.Releases;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Runtime.Remote;

namespace Weir.Controllers.HelmReleases;

/// <summary>Settings of the HelmRelease controller (Flux's helm-controller flags).</summary>
public sealed record HelmReleaseOptions
{
    /// <summary>Wait before retrying when a source or a dependency is not ready (<c>--requeue-dependency</c>).</summary>
    public TimeSpan RequeueDependency { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Service account impersonated when a HelmRelease names none (<c>--default-service-account</c>).</summary>
    public string? DefaultServiceAccount { get; init; }

    public IntervalJitter Jitter { get; init; } = new();

    public JsonLog Log { get; init; } = JsonLog.Discard;

    /// <summary>Client for chart downloads; one shared instance by default.</summary>
    public HttpClient? Http { get; init; }
}

/// <summary>
/// Reconciles a HelmRelease as Flux's helm-controller does: dependencies, the chart source (and the HelmChart of a
/// <c>chart</c> template), the values, the chart, then the <see cref="AtomicRelease"/> that installs, upgrades, tests,
/// remediates, unlocks and corrects drift until the release is in sync. Steps throw <see cref="ReconcileFailure"/> or
/// <see cref="ReconcileWait"/> with Flux's reasons; the release actions record their own conditions and Ready is
/// summarised from them. Deleting a HelmRelease uninstalls its release (unless suspended) and its HelmChart.
/// </summary>
public sealed class HelmReleaseReconciler : IReconciler, IReconcileSteps<HelmReleaseRun>
{
    public const string ControllerName = "helm-controller";

    private static readonly HttpClient SharedHttp = new() { Timeout = TimeSpan.FromMinutes(5) };
    private readonly ResourceClient _client;
    private readonly HelmReleaseOptions _options;
    private readonly TimeProvider _clock;
    private readonly ResourceMapper _mapper;
    private readonly RemoteClusters _remotes;
    private readonly ChartTemplates _templates;
    private readonly ChartSource _charts;
    private readonly ReleaseValues _values;
    private readonly ReconcileRunner<HelmReleaseRun> _runner;

    public HelmReleaseReconciler(ResourceClient client, EventRecorder events, HelmReleaseOptions? options = null, TimeProvider? clock = null)
    {
        _client = client;
        _options = options ?? new HelmReleaseOptions();
        _clock = clock ?? TimeProvider.System;
        _mapper = new ResourceMapper(client);
        _remotes = new RemoteClusters(client, clock);
        _templates = new ChartTemplates(client);
        _charts = new ChartSource(client, _templates, _options.Http ?? SharedHttp, _options.RequeueDependency);
        _values = new ReleaseValues(client);
        Settings = new ReconcilerSettings(KubeResource.HelmRelease) { Jitter = _options.Jitter, Log = _options.Log, BackoffOnFailure = true };
        _runner = new ReconcileRunner<HelmReleaseRun>(client, events, this);
    }

    public string Kind => HelmRelease.KindName;

    public ReconcilerSettings Settings { get; }

    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => _runner.ReconcileAsync(key, cancellationToken);

    public HelmReleaseRun Begin(JsonObject obj) => new(obj, _clock);

    public RunNotice? Succeeded(HelmReleaseRun run) => null;

    public async Task ReconcileAsync(HelmReleaseRun run, CancellationToken cancellationToken)
    {
        try
        {
            await ReconcileReleaseAsync(run, cancellationToken);
        }
        finally
        {
            run.Status["history"] = run.History.ToJson();
            run.HandleRequest("forceAt", "lastHandledForceAt");
            run.HandleRequest("resetAt", "lastHandledResetAt");
        }
    }

    private async Task ReconcileReleaseAsync(HelmReleaseRun run, CancellationToken cancellationToken)
    {
        await run.ProgressAsync("Fulfilling prerequisites", cancellationToken);
        run.HealthChecks = HealthExpressions.Parse(run.Spec.HealthCheckExprs);
        await CheckDependenciesAsync(run, cancellationToken);

        var source = await _charts.ResolveAsync(run, cancellationToken);
        ClearStale(run, ConditionReasons.ArtifactFailed, ReleaseMessages.SourceNotReady, ConditionReasons.DependencyNotReady);
        await ComposeValuesAsync(run, cancellationToken);
        await _charts.LoadAsync(run, source, cancellationToken);

        var target = await _remotes.TargetAsync(run.Key.Namespace, run.Spec.KubeConfig, ServiceAccount(run), _mapper, cancellationToken);
        var helm = new HelmCluster(target.Client);
        if (ReleaseTargetChange.Reason(run) is { } changed)
        {
            await ReleaseTargetChange.UninstallPreviousAsync(helm, run, changed, _options.Log, cancellationToken);
        }

        run.Status["storageNamespace"] = run.StorageNamespace;
        if (run.ResetRequested || MustResetFailures(run))
        {
            run.ClearFailures();
        }

        run.Status["lastAttemptedGeneration"] = run.Object.Generation();
        run.Status["lastAttemptedRevision"] = run.Chart!.Metadata.Version;
        run.Status["lastAttemptedConfigDigest"] = run.ConfigDigest;
        if (run.OciDigest is { } ociDigest)
        {
            run.Status["lastAttemptedRevisionDigest"] = ociDigest;
        }
        else
        {
            run.Status.Remove("lastAttemptedRevisionDigest");
        }

        run.SetEventMetadata(run.Chart.Metadata.Version, run.ConfigDigest);
        var context = new ReleaseContext(run, helm, new SecretReleaseStore(target.Client, run.StorageNamespace), _options.Log);
        var drift = new ReleaseDrift(target.Client);
        var ignore = run.Spec.DriftDetection?.Ignore;
        await new AtomicRelease(
            (release, ct) => drift.DetectAsync(release, ignore, ct),
            (report, ct) => drift.CorrectAsync(report, ignore, ct)).RunAsync(context, cancellationToken);
    }

    /// <summary>Flux's <c>MustResetFailures</c>: a new generation, chart version or config digest gives the release fresh retries.</summary>
    private static bool MustResetFailures(HelmReleaseRun run) =>
        run.Status["lastAttemptedGeneration"]?.GetValue<long>() != run.Object.Generation()
        || run.Status["lastAttemptedRevision"]?.GetValue<string>() != run.Chart!.Metadata.Version
        || run.Status["lastAttemptedConfigDigest"]?.GetValue<string>() != run.ConfigDigest;

    private async Task CheckDependenciesAsync(HelmReleaseRun run, CancellationToken cancellationToken)
    {
        if (run.Spec.DependsOn is not { Count: > 0 } dependencies)
        {
            return;
        }

        if (await DependencyCheck.FirstNotReadyAsync(_client, KubeResource.HelmRelease, run.Object, dependencies, DependencyCheck.NotReady, cancellationToken)
            is { } notReady)
        {
            throw new ReconcileWait(ConditionReasons.DependencyNotReady, notReady, _options.RequeueDependency)
            {
                Event = notReady,
                Log = $"dependencies do not meet ready condition ({notReady}): retrying in {FluxDuration.Format(_options.RequeueDependency)}",
            };
        }

        _options.Log.Info("all dependencies are ready", Kind, run.Key);
    }

    /// <summary>The values the release is made with: <c>valuesFrom</c> then <c>spec.values</c>, in Flux's order (<see cref="ReleaseValues"/>).</summary>
    private async Task ComposeValuesAsync(HelmReleaseRun run, CancellationToken cancellationToken)
    {
        try
        {
            var composed = await _values.ComposeAsync(run.Release, cancellationToken);
            run.Values = composed.Values;
            run.ConfigDigest = composed.ConfigDigest;
        }
        catch (ValuesReferenceException e)
        {
            throw new ReconcileFailure(ReleaseMessages.ValuesError, e.Message, inner: e);
        }

        ClearStale(run, ReleaseMessages.ValuesError);
    }

    /// <summary>A Ready=False left by a passing obstacle (source, dependency) turns Unknown once it is cleared.</summary>
    private static void ClearStale(HelmReleaseRun run, params string[] reasons)
    {
        if (run.Conditions.Get(ConditionTypes.Ready) is { Status: ConditionStatus.False } ready && reasons.Contains(ready.Reason))
        {
            run.Conditions.MarkUnknown(ConditionTypes.Ready, ConditionReasons.Progressing, "reconciliation in progress");
        }
    }

    private string? ServiceAccount(HelmReleaseRun run) =>
        run.Spec.ServiceAccountName is { Length: > 0 } sa ? sa : _options.DefaultServiceAccount;

    /// <summary>The HelmRelease is going: its release is uninstalled (unless suspended) and the HelmChart of its template deleted.</summary>
    public async Task FinalizeAsync(HelmReleaseRun run, CancellationToken cancellationToken)
    {
        if (!run.Suspended)
        {
            var target = await _remotes.TargetAsync(run.Key.Namespace, run.Spec.KubeConfig, ServiceAccount(run), _mapper, cancellationToken);
            var context = new ReleaseContext(run, new HelmCluster(target.Client), new SecretReleaseStore(target.Client, run.StorageNamespace), _options.Log);
            var latest = await context.Store.LastAsync(run.ReleaseName, cancellationToken);
            if (latest is not null && latest.Info.Status != ReleaseStatus.Uninstalled)
            {
                var snapshot = ReleaseHistory.Snapshot(latest);
                var name = ReleaseHistory.FullReleaseName(snapshot);
                var chart = ReleaseHistory.VersionedChartName(snapshot);
                try
                {
                    await UninstallRemediation.UninstallAsync(context, ActionTimeouts.Of(run.Spec.Uninstall?.Timeout, run), cancellationToken);
                }
                catch (HelmActionException e)
                {
                    var failure = ReleaseMessages.UninstallFailure(name, chart, e.Message.Trim());
                    await run.EventAsync(EventRecorder.Warning, failure, cancellationToken, ReleaseMessages.UninstallFailed);
                    throw new InvalidOperationException(failure, e);
                }

                await run.EventAsync(EventRecorder.Normal, ReleaseMessages.UninstallSuccess(name, chart), cancellationToken, ReleaseMessages.UninstallSucceeded);
            }
        }

        await _templates.DeleteAsync(run, cancellationToken);
    }
}
