using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.Kustomize;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Kustomize.Flux;
using Weir.Runtime.Apply;
using Weir.Runtime.Artifacts;
using Weir.Runtime.Controllers;
using Weir.Runtime.Health;
using Weir.Runtime.Kube;
using Weir.Runtime.Remote;

namespace Weir.Controllers.Kustomizations;

/// <summary>Settings of the Kustomization controller (Flux's kustomize-controller flags).</summary>
public sealed record KustomizationOptions
{
    /// <summary>Wait before retrying when a source artifact or a dependency is not ready (<c>--requeue-dependency</c>).</summary>
    public TimeSpan RequeueDependency { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Poll period of health checks (Flux polls every 5s).</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Poll period while waiting for CRDs and Namespaces of the first stage.</summary>
    public TimeSpan StageWaitInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Concurrent dry-runs per Kustomization (<c>--concurrent-ssa</c>).</summary>
    public int ConcurrentSsa { get; init; } = 4;

    /// <summary>Refuse sources in another namespace than the Kustomization's (<c>--no-cross-namespace-refs</c>).</summary>
    public bool NoCrossNamespaceRefs { get; init; }

    /// <summary>Service account impersonated when a Kustomization names none (<c>--default-service-account</c>).</summary>
    public string? DefaultServiceAccount { get; init; }

    /// <summary>An unset post-build variable without default fails the build (Flux's <c>StrictPostBuildSubstitutions</c>, on since 2.9).</summary>
    public bool StrictSubstitutions { get; init; } = true;

    public IntervalJitter Jitter { get; init; } = new();

    public JsonLog Log { get; init; } = JsonLog.Discard;

    /// <summary>Floor of the computed timeout (Flux: 30s); tests lower it to keep health-check timeouts short.</summary>
    public TimeSpan MinimumTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Client for artifact downloads; one shared instance by default.</summary>
    public HttpClient? Http { get; init; }
}

/// <summary>
/// Reconciles a Kustomization as Flux's kustomize-controller does: resolve the source and its artifact, check
/// dependencies, download and verify the artifact, build it with kustomize and Flux's layer, validate and apply it
/// with server-side apply in stages, prune objects that left the inventory, and wait for health. These are its steps;
/// each throws a <see cref="ReconcileFailure"/> (or a <see cref="ReconcileWait"/>) carrying Flux's reason and message,
/// and the <see cref="ReconcileRunner{TRun}"/> turns outcomes into conditions, status, events and requeues.
/// </summary>
public sealed class KustomizationReconciler : IReconciler, IReconcileSteps<KustomizationRun>
{
    public const string ControllerName = "kustomize-controller";
    public const string Finalizer = ReconcilerSettings.FluxFinalizer;
    public const string Group = KustomizeApi.Group;

    /// <summary>Prefix of messages of errors only a spec change can fix (Flux's wording).</summary>
    public const string TerminalErrorMessage = "Reconciliation failed terminally due to configuration error";

    private static readonly HttpClient SharedHttp = new() { Timeout = TimeSpan.FromMinutes(5) };
    private readonly ResourceClient _client;
    private readonly KustomizationOptions _options;
    private readonly TimeProvider _clock;
    private readonly ResourceMapper _mapper;
    private readonly RemoteClusters _remotes;
    private readonly ReconcileRunner<KustomizationRun> _runner;
    private readonly ConcurrentDictionary<ObjectKey, (string Source, CancellationTokenSource Cancel)> _healthChecks = new();

    public KustomizationReconciler(ResourceClient client, EventRecorder events, KustomizationOptions? options = null, TimeProvider? clock = null)
    {
        _client = client;
        _options = options ?? new KustomizationOptions();
        _clock = clock ?? TimeProvider.System;
        _mapper = new ResourceMapper(client);
        _remotes = new RemoteClusters(client, clock);
        Settings = new ReconcilerSettings(KubeResource.Kustomization) { Jitter = _options.Jitter, Log = _options.Log };
        _runner = new ReconcileRunner<KustomizationRun>(client, events, this);
    }

    public string Kind => Kustomization.KindName;

    public ResourceMapper Mapper => _mapper;

    public ReconcilerSettings Settings { get; }

    /// <summary>
    /// A source moved to a new revision: health checks running for Kustomizations of that source stop, so the new
    /// revision is applied without waiting for the old one's timeout (Flux's <c>HealthCheckCanceled</c>).
    /// <paramref name="sourceKey"/> is <c>Kind/namespace/name</c>, as <see cref="KustomizationController.SourceKey"/> gives it.
    /// </summary>
    public void SourceChanged(ObjectKey kustomization, string sourceKey)
    {
        if (_healthChecks.TryGetValue(kustomization, out var running) && running.Source == sourceKey)
        {
            running.Cancel.Cancel();
        }
    }

    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => _runner.ReconcileAsync(key, cancellationToken);

    public KustomizationRun Begin(JsonObject obj) => new(obj, _clock, _options.MinimumTimeout);

    /// <summary>Source, dependencies, then the revision itself; the soft waits end the run with a requeue instead of failing.</summary>
    public Task ReconcileAsync(KustomizationRun run, CancellationToken cancellationToken) =>
        RemoteErrorsAsFailuresAsync(run, () => ReconcileSpecAsync(run, cancellationToken), cancellationToken);

    public RunNotice? Succeeded(KustomizationRun run) =>
        new($"Reconciliation finished in {FluxDuration.Format(run.Elapsed)}, next run in {FluxDuration.Format(run.Interval)}",
            Annotations: new Dictionary<string, string> { [$"{Group}/commit_status"] = "update" })
        {
            LogFields = new Dictionary<string, string> { ["revision"] = run.Revision ?? "" },
        };

    private async Task ReconcileSpecAsync(KustomizationRun run, CancellationToken cancellationToken)
    {
        run.HealthExpressions = HealthExpressions.Parse(run.Spec.HealthCheckExprs);

        var source = await GetSourceAsync(run, cancellationToken);
        if (source["status"]?["artifact"] is not JsonObject artifact)
        {
            throw new ReconcileWait(ConditionReasons.ArtifactFailed,
                $"Source artifact not found, retrying in {FluxDuration.Format(_options.RequeueDependency)}", _options.RequeueDependency);
        }

        run.Revision = artifact["revision"]?.GetValue<string>() ?? "";
        run.OriginRevision = artifact["metadata"]?["org.opencontainers.image.revision"]?.GetValue<string>();
        if (run.Spec.DependsOn is { Count: > 0 } dependencies)
        {
            if (await DependencyCheck.FirstNotReadyAsync(_client, run.Object, run.Spec, dependencies, run.Revision, cancellationToken) is { } notReady)
            {
                var message = $"Dependencies do not meet ready condition, retrying in {FluxDuration.Format(_options.RequeueDependency)}";
                throw new ReconcileWait(ConditionReasons.DependencyNotReady, notReady, _options.RequeueDependency) { Event = message, Log = message };
            }

            _options.Log.Info("All dependencies are ready, proceeding with reconciliation", Kind, run.Key);
        }

        try
        {
            await ReconcileRevisionAsync(run, artifact, cancellationToken);
        }
        catch (HealthCheckCanceledException canceled)
        {
            throw new ReconcileWait(ConditionReasons.HealthCheckCanceled, $"New reconciliation triggered by {canceled.Trigger}", TimeSpan.Zero)
            {
                Event = $"Health checks canceled due to new reconciliation triggered by {canceled.Trigger}",
                Log = "New reconciliation triggered, canceling health checks",
            };
        }
        catch (ArtifactNotFoundException)
        {
            throw new ReconcileWait(ConditionReasons.ArtifactFailed,
                $"Source is not ready, artifact not found, retrying in {FluxDuration.Format(_options.RequeueDependency)}", _options.RequeueDependency);
        }
    }

    private async Task ReconcileRevisionAsync(KustomizationRun run, JsonObject artifact, CancellationToken cancellationToken)
    {
        var revision = run.Revision!;
        var timeoutText = FluxDuration.Format(run.Timeout);
        run.Conditions.MarkUnknown(ConditionTypes.Ready, ConditionReasons.Progressing, "Reconciliation in progress");
        await run.ProgressAsync($"Fetching manifests for revision {revision} with a timeout of {timeoutText}", cancellationToken);

        var oldInventory = Inventory.Read(run.Object) ?? new Inventory();
        var tmp = Directory.CreateTempSubdirectory("kustomization-");
        try
        {
            var downloader = new ArtifactDownloader(_options.Http ?? SharedHttp, timeout: run.Timeout);
            try
            {
                await downloader.FetchAsync(artifact["url"]?.GetValue<string>() ?? "", artifact["digest"]?.GetValue<string>() ?? "",
                    tmp.FullName, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                throw new ReconcileFailure(ConditionReasons.ArtifactFailed, e.Message, inner: e);
            }

            var dirPath = SecurePath.Join(tmp.FullName, run.Spec.Path ?? "");
            if (!Directory.Exists(dirPath))
            {
                throw new ReconcileFailure(ConditionReasons.ArtifactFailed,
                    $"kustomization path not found: stat {dirPath}: no such file or directory");
            }

            run.Status["lastAttemptedRevision"] = revision;
            await run.ProgressAsync($"Building manifests for revision {revision} with a timeout of {timeoutText}", cancellationToken);

            var target = await TargetAsync(run, cancellationToken);
            BuiltManifests built;
            try
            {
                // Build lookups (postBuild.substituteFrom) read the local cluster, also when applying to a remote one.
                var lookups = run.Spec.KubeConfig is null ? target.Client : _client;
                built = await new ManifestBuilder(ClusterVariables.From(lookups), _options.StrictSubstitutions).BuildAsync(run.Object, dirPath, tmp.FullName, cancellationToken);
            }
            catch (ManifestBuildException e)
            {
                throw new ReconcileFailure(ConditionReasons.BuildFailed, e.Message, inner: e);
            }

            var history = new Dictionary<string, string> { ["revision"] = revision };
            if (run.OriginRevision is { Length: > 0 } origin)
            {
                history["originRevision"] = origin;
            }

            ServerSideApplier.SetOwnerLabels(built.Objects, Group, run.Key.Name, run.Key.Namespace);
            await run.ProgressAsync($"Detecting drift for revision {revision} with a timeout of {timeoutText}", cancellationToken);

            var applier = new ServerSideApplier(target.Client, target.Mapper, ControllerName, _options.ConcurrentSsa);
            ChangeSet changeSet;
            try
            {
                changeSet = await ApplyAsync(run, applier, built.Objects, cancellationToken);
            }
            catch (ReconcileFailure)
            {
                RecordHistory(run, built.Checksum, ConditionReasons.ReconciliationFailed, history);
                throw;
            }

            var newInventory = Inventory.FromChangeSet(changeSet);
            run.Status["inventory"] = newInventory.ToJson();
            try
            {
                await PruneAsync(run, applier, oldInventory.StaleAgainst(newInventory), newInventory, cancellationToken);
            }
            catch (ReconcileFailure)
            {
                RecordHistory(run, built.Checksum, ConditionReasons.PruneFailed, history);
                throw;
            }

            try
            {
                await CheckHealthAsync(run, target, changeSet, cancellationToken);
            }
            catch (ReconcileFailure)
            {
                RecordHistory(run, built.Checksum, ConditionReasons.HealthCheckFailed, history);
                throw;
            }

            run.Status["lastAppliedRevision"] = revision;
            run.Status["lastAppliedOriginRevision"] = run.OriginRevision;
            run.Conditions.MarkTrue(ConditionTypes.Ready, ConditionReasons.ReconciliationSucceeded, $"Applied revision: {revision}");
            RecordHistory(run, built.Checksum, ConditionReasons.ReconciliationSucceeded, history);
        }
        finally
        {
            try
            {
                tmp.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Best effort; the OS cleans temp eventually.
            }
        }
    }

    /// <summary>Validates and applies in stages; reports the changed objects as one event.</summary>
    private async Task<ChangeSet> ApplyAsync(KustomizationRun run, ServerSideApplier applier, IReadOnlyList<JsonObject> objects, CancellationToken cancellationToken)
    {
        // A SOPS-encrypted Secret is never applied as ciphertext; Weir cannot decrypt SOPS yet.
        if (objects.FirstOrDefault(IsSopsEncryptedSecret) is { } encrypted)
        {
            var subject = ObjectRef.Of(encrypted).Subject;
            throw new ReconcileFailure(ConditionReasons.ReconciliationFailed, run.Spec.Decryption is null
                ? $"{subject} is SOPS encrypted, configuring decryption is required for this secret to be reconciled"
                : $"{subject} is SOPS encrypted, and Weir cannot decrypt SOPS yet (spec.decryption is not supported)");
        }

        var options = KustomizationApplyOptions.For(run.Spec) with { WaitTimeout = run.Timeout, WaitInterval = _options.StageWaitInterval };
        ChangeSet changeSet;
        try
        {
            changeSet = await applier.ApplyAllStagedAsync(objects, options, cancellationToken);
        }
        catch (ApplyException e)
        {
            var log = e.ChangeSet.ChangedLines();
            throw new ReconcileFailure(ConditionReasons.ReconciliationFailed, log.Length > 0 ? $"{e.Message}\n{log}" : e.Message, inner: e);
        }

        var applied = changeSet.ChangedLines();
        if (applied.Length > 0)
        {
            _options.Log.Info("server-side apply completed", Kind, run.Key, new Dictionary<string, string> { ["output"] = applied, ["revision"] = run.Revision ?? "" });
            await run.EventAsync(EventRecorder.Normal, applied, cancellationToken);
        }

        run.Drifted = applied.Length > 0;
        return changeSet;
    }

    private async Task PruneAsync(KustomizationRun run, ServerSideApplier applier, IReadOnlyList<ObjectRef> stale, Inventory inventory, CancellationToken cancellationToken)
    {
        if (run.Spec.Prune != true || stale.Count == 0)
        {
            return;
        }

        try
        {
            var changeSet = await applier.DeleteAllAsync(stale, OwnerLabels(run.Key), PruneExclusions, cancellationToken);
            if (changeSet.Entries.Count > 0)
            {
                _options.Log.Info($"garbage collection completed: {changeSet}", Kind, run.Key);
                await run.EventAsync(EventRecorder.Normal, changeSet.ToString(), cancellationToken);
            }
        }
        catch (ApplyException e)
        {
            var settled = e.ChangeSet.Entries.Where(x => x.Action is ChangeAction.Deleted or ChangeAction.Skipped).Select(x => x.Object.Id).ToHashSet();
            inventory.Merge(stale.Where(s => !settled.Contains(s.Id)));
            run.Status["inventory"] = inventory.ToJson();
            throw new ReconcileFailure(ConditionReasons.PruneFailed, e.Message, inner: e);
        }
    }

    private async Task CheckHealthAsync(KustomizationRun run, ClusterTarget target, ChangeSet changeSet, CancellationToken cancellationToken)
    {
        var wasHealthy = run.Conditions.IsTrue(ConditionTypes.Healthy);
        List<ObjectRef> objects;
        if (run.Spec.Wait == true)
        {
            objects = [.. changeSet.Entries.Where(e => e.Action != ChangeAction.Skipped).Select(e => e.Object)];
        }
        else if (run.Spec.HealthChecks is { Count: > 0 } checks)
        {
            objects = [.. checks.Select(c =>
            {
                var gvk = GroupVersionKind.From(c.ApiVersion ?? "", c.Kind ?? "");
                return new ObjectRef(c.Namespace ?? "", c.Name ?? "", gvk.Group, gvk.Kind, gvk.Version);
            })];
        }
        else
        {
            run.Conditions.Remove(ConditionTypes.Healthy);
            return;
        }

        objects.RemoveAll(o => o.Kind == Kustomization.KindName && o.Group == Group && o.Name == run.Key.Name && o.Namespace == run.Key.Namespace);
        if (objects.Count == 0)
        {
            run.Conditions.Remove(ConditionTypes.Healthy);
            return;
        }

        var revision = run.Revision;
        var message = $"Running health checks for revision {revision} with a timeout of {FluxDuration.Format(run.Timeout)}";
        run.Conditions.MarkUnknown(ConditionTypes.Healthy, ConditionReasons.Progressing, message);
        await run.ProgressAsync(message, cancellationToken);

        var watch = Stopwatch.StartNew();
        var checker = new HealthChecker(target.Client, target.Mapper, _clock, run.HealthExpressions);
        var sourceKey = KustomizationController.SourceKey(run.Object);
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _healthChecks[run.Key] = (sourceKey, interrupt);
        string? error;
        try
        {
            error = await checker.WaitAsync(objects, run.Timeout, _options.HealthCheckInterval, interrupt.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HealthCheckCanceledException(sourceKey);
        }
        finally
        {
            _healthChecks.TryRemove(run.Key, out _);
        }

        if (error is not null)
        {
            run.Conditions.MarkFalse(ConditionTypes.Healthy, ConditionReasons.HealthCheckFailed, error);
            throw new ReconcileFailure(ConditionReasons.HealthCheckFailed, $"health check failed after {FluxDuration.Format(watch.Elapsed)}: {error}");
        }

        var passed = $"Health check passed in {FluxDuration.Format(watch.Elapsed)}";
        var isNewRevision = run.Status["lastAppliedRevision"]?.GetValue<string>() != revision;
        if (!wasHealthy || (isNewRevision && run.Drifted))
        {
            await run.EventAsync(EventRecorder.Normal, passed, cancellationToken);
        }

        run.Conditions.MarkTrue(ConditionTypes.Healthy, ConditionReasons.Succeeded, passed);
        await run.PatchStatusAsync(cancellationToken);
    }

    /// <summary>The Kustomization is being deleted: delete what it applied per <c>deletionPolicy</c> (the runner then releases it).</summary>
    public async Task FinalizeAsync(KustomizationRun run, CancellationToken cancellationToken)
    {
        var inventory = Inventory.Read(run.Object);
        var policy = run.Spec.DeletionPolicy is { Length: > 0 } p ? p : "MirrorPrune";
        var delete = run.Spec.Suspend != true && inventory is { Entries.Count: > 0 } && policy switch
        {
            "MirrorPrune" => run.Spec.Prune == true,
            "Delete" or "WaitForTermination" => true,
            _ => false,
        };
        if (delete)
        {
            var target = await TargetAsync(run, cancellationToken);
            var applier = new ServerSideApplier(target.Client, target.Mapper, ControllerName, _options.ConcurrentSsa);
            var lastApplied = run.Status["lastAppliedRevision"]?.GetValue<string>();
            ChangeSet changeSet;
            try
            {
                changeSet = await applier.DeleteAllAsync(inventory!.Entries, OwnerLabels(run.Key), PruneExclusions, cancellationToken);
            }
            catch (ApplyException e)
            {
                run.Revision = lastApplied;
                await run.EventAsync(EventRecorder.Warning, "pruning for deleted resource failed", cancellationToken);
                throw new InvalidOperationException(e.Message, e);
            }

            if (changeSet.Entries.Count > 0)
            {
                run.Revision = lastApplied;
                await run.EventAsync(EventRecorder.Normal, changeSet.ToString(), cancellationToken);
                if (policy == "WaitForTermination")
                {
                    try
                    {
                        var deleted = changeSet.Entries.Where(e => e.Action == ChangeAction.Deleted).Select(e => e.Object);
                        await applier.WaitForTerminationAsync(deleted, run.Timeout, _options.StageWaitInterval, cancellationToken);
                    }
                    catch (ApplyException e)
                    {
                        _options.Log.Error("failed to wait for resources termination", e, Kind, run.Key);
                        await run.EventAsync(EventRecorder.Warning, "failed to wait for resources termination", cancellationToken);
                    }
                }
            }
        }

    }

    private async Task<JsonObject> GetSourceAsync(KustomizationRun run, CancellationToken cancellationToken)
    {
        var reference = run.Spec.SourceRef ?? new KustomizationSourceReference();
        var ns = reference.Namespace is { Length: > 0 } n ? n : run.Key.Namespace;
        var resource = KindRegistry.Source(reference.Kind)?.Resource;
        if (resource is null)
        {
            throw new ReconcileFailure(ConditionReasons.ArtifactFailed, $"source `{reference.Name}` kind '{reference.Kind}' not supported");
        }

        if (_options.NoCrossNamespaceRefs && ns != run.Key.Namespace)
        {
            throw new ReconcileFailure(ConditionReasons.AccessDenied,
                $"can't access '{reference.Kind}/{ns}/{reference.Name}', cross-namespace references have been blocked", stalled: true);
        }

        JsonObject? source;
        try
        {
            source = await _client.GetAsync(resource, new ObjectKey(ns, reference.Name ?? ""), cancellationToken);
        }
        catch (KubeApiException e)
        {
            throw new ReconcileFailure(ConditionReasons.ArtifactFailed, $"unable to get source '{ns}/{reference.Name}': {e.Message}", inner: e);
        }

        return source ?? throw new ReconcileWait(ConditionReasons.ArtifactFailed,
            $"{resource.Plural}.{resource.Group} \"{reference.Name}\" not found", run.RetryInterval)
        {
            Log = $"Source '{reference.Kind}/{ns}/{reference.Name}' not found",
        };
    }

    /// <summary>
    /// The cluster to apply to: the local one, or the remote one of <c>spec.kubeConfig</c>; on either, the service
    /// account (<c>spec.serviceAccountName</c> or the default) is impersonated, as Flux does.
    /// </summary>
    private Task<ClusterTarget> TargetAsync(KustomizationRun run, CancellationToken cancellationToken) =>
        _remotes.TargetAsync(run.Key.Namespace, run.Spec.KubeConfig,
            run.Spec.ServiceAccountName is { Length: > 0 } sa ? sa : _options.DefaultServiceAccount, _mapper, cancellationToken);

    /// <summary>A remote cluster that cannot be reached fails the reconcile like any other step, instead of escaping it.</summary>
    private static async Task RemoteErrorsAsFailuresAsync(KustomizationRun run, Func<Task> step, CancellationToken cancellationToken)
    {
        try
        {
            await step();
        }
        catch (HttpRequestException e) when (run.Spec.KubeConfig is not null)
        {
            throw new ReconcileFailure(ConditionReasons.ReconciliationFailed, $"remote cluster unreachable: {e.Message}", inner: e);
        }
        catch (TaskCanceledException e) when (run.Spec.KubeConfig is not null && !cancellationToken.IsCancellationRequested)
        {
            throw new ReconcileFailure(ConditionReasons.ReconciliationFailed, "remote cluster unreachable: the request timed out", inner: e);
        }
    }

    private void RecordHistory(KustomizationRun run, string checksum, string status, IReadOnlyDictionary<string, string> metadata) =>
        run.Status["history"] = ReconcileHistory.Upsert(run.Status["history"] as JsonArray, checksum, _clock.GetUtcNow(), run.Elapsed, status, metadata);

    private static Dictionary<string, string> OwnerLabels(ObjectKey key) =>
        new() { [$"{Group}/name"] = key.Name, [$"{Group}/namespace"] = key.Namespace };

    /// <summary>Flux's test: a v1 Secret with a top-level <c>sops</c> field, unless annotated <c>decrypt: disabled</c>.</summary>
    private static bool IsSopsEncryptedSecret(JsonObject obj) =>
        obj.Kind() == "Secret" && obj.ApiVersion() == "v1" && obj.ContainsKey("sops")
        && !string.Equals(obj.Annotation($"{Group}/decrypt"), "disabled", StringComparison.OrdinalIgnoreCase);

    private static readonly Dictionary<string, string> PruneExclusions = new()
    {
        [$"{Group}/prune"] = "disabled",
        [$"{Group}/reconcile"] = "disabled",
        [$"{Group}/ssa"] = "Ignore",
    };
}

/// <summary>One Kustomization reconcile: its typed spec, its timings, and what the steps learn on the way.</summary>
public sealed class KustomizationRun : ReconcileRun
{
    public KustomizationRun(JsonObject obj, TimeProvider clock, TimeSpan minimumTimeout)
        : base(obj, TimeSpan.FromMinutes(10), clock)
    {
        Spec = ApiObjects.Read<Kustomization>(obj).Spec ?? new KustomizationSpec();
        var timeout = FluxDuration.TryParse(Spec.Timeout, out var t) ? t : Interval - TimeSpan.FromSeconds(30);
        Timeout = timeout < minimumTimeout ? minimumTimeout : timeout;
    }

    public KustomizationSpec Spec { get; }

    public TimeSpan Timeout { get; }

    /// <summary>The source revision being applied; every event of the run carries it.</summary>
    public string? Revision
    {
        get => EventMetadata.GetValueOrDefault($"{KustomizationReconciler.Group}/revision");
        set => SetEventMetadata("revision", value);
    }

    /// <summary>The revision the artifact was built from (<c>org.opencontainers.image.revision</c>); events carry it too.</summary>
    public string? OriginRevision
    {
        get => EventMetadata.GetValueOrDefault($"{KustomizationReconciler.Group}/originRevision");
        set => SetEventMetadata("originRevision", value);
    }

    internal CustomHealthChecks HealthExpressions { get; set; } = CustomHealthChecks.None;

    /// <summary>Whether the apply changed anything.</summary>
    public bool Drifted { get; set; }

    private void SetEventMetadata(string name, string? value)
    {
        if (value is { Length: > 0 })
        {
            EventMetadata[$"{KustomizationReconciler.Group}/{name}"] = value;
        }
        else
        {
            EventMetadata.Remove($"{KustomizationReconciler.Group}/{name}");
        }
    }
}

/// <summary>The source moved on while health checks ran; <see cref="Trigger"/> is <c>Kind/ns/name</c> of the source.</summary>
internal sealed class HealthCheckCanceledException(string trigger) : Exception($"New reconciliation triggered by {trigger}")
{
    public string Trigger { get; } = trigger;
}
