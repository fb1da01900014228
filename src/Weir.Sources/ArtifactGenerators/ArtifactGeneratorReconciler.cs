using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.Source;
using Weir.Core.Api.SourceExtensions;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Core.Revisions;
using Weir.Core.Time;
using Weir.Runtime.Artifacts;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Sources.Storage;

namespace Weir.Sources.ArtifactGenerators;

/// <summary>Settings of the ArtifactGenerator controller (source-watcher's flags).</summary>
public sealed record ArtifactGeneratorOptions
{
    /// <summary>How soon a generator whose sources are missing or not ready looks again (<c>--requeue-dependency</c>).</summary>
    public TimeSpan RequeueDependency { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Refuse sources in other namespaces (<c>--no-cross-namespace-refs</c>).</summary>
    public bool NoCrossNamespaceRefs { get; init; }

    /// <summary>Artifacts kept per ExternalArtifact by garbage collection.</summary>
    public int ArtifactsToKeep { get; init; } = 2;

    /// <summary>Bounds on each source download and on each tarball an Extract copy unpacks.</summary>
    public ExtractionLimits Limits { get; init; } = new();

    public HttpClient? Http { get; init; }

    public IntervalJitter Jitter { get; init; } = new();

    public JsonLog Log { get; init; } = JsonLog.Discard;
}

/// <summary>
/// Reconciles an ArtifactGenerator as Flux's source-watcher does: validate the spec (duplicate aliases or names,
/// revision aliases, cross-namespace refs — Stalled); read every source's artifact (SourceFetchFailed, retried soon);
/// stop when nothing drifted since the last run (sources digest, generation, stored artifacts, the ExternalArtifacts in
/// the cluster); otherwise download the sources, expand <c>pathPattern</c>, apply each artifact's copy operations,
/// store the result (revision <c>latest@sha256:…</c> of the content, or the <c>revision</c> alias's), apply the
/// ExternalArtifacts, delete those no longer generated and record the inventory.
/// </summary>
public sealed class ArtifactGeneratorReconciler : IReconciler, IReconcileSteps<ArtifactGeneratorRun>
{
    public const string ControllerName = "source-watcher";
    public const string Finalizer = "source.extensions.fluxcd.io/finalizer";
    public const string ReconcileAnnotation = "source.extensions.fluxcd.io/reconcile";
    public const string InProgress = "Reconciliation in progress";

    private static readonly HttpClient SharedHttp = new() { Timeout = TimeSpan.FromMinutes(2) };

    private readonly ResourceClient _client;
    private readonly ArtifactStore _store;
    private readonly ArtifactServer _server;
    private readonly ArtifactPublisher _publisher;
    private readonly GeneratedArtifacts _generated;
    private readonly ArtifactGeneratorOptions _options;
    private readonly TimeProvider _clock;
    private readonly ReconcileRunner<ArtifactGeneratorRun> _runner;

    public ArtifactGeneratorReconciler(
        ResourceClient client, ArtifactStore store, ArtifactServer server, EventRecorder events, ArtifactGeneratorOptions? options = null,
        TimeProvider? clock = null)
    {
        _client = client;
        _store = store;
        _server = server;
        _publisher = new ArtifactPublisher(store, server, ExternalArtifact.KindName);
        _generated = new GeneratedArtifacts(client, store, ControllerName);
        _options = options ?? new ArtifactGeneratorOptions();
        _clock = clock ?? TimeProvider.System;
        Settings = new ReconcilerSettings(KubeResource.ArtifactGenerator)
        {
            Finalizer = Finalizer,
            BackoffOnFailure = true,
            Jitter = _options.Jitter,
            Log = _options.Log,
        };
        _runner = new ReconcileRunner<ArtifactGeneratorRun>(client, events, this);
    }

    public string Kind => ArtifactGenerator.KindName;

    public string FailureReason => ConditionReasons.ReconciliationFailed;

    public ReconcilerSettings Settings { get; }

    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => _runner.ReconcileAsync(key, cancellationToken);

    public ArtifactGeneratorRun Begin(JsonObject obj) => new(obj, _clock);

    public async Task ReconcileAsync(ArtifactGeneratorRun run, CancellationToken cancellationToken)
    {
        Validate(run);
        IReadOnlyDictionary<string, ObservedSource> sources;
        try
        {
            sources = await ObservedSources.ReadAsync(_client, run.Key.Namespace, run.Spec.Sources ?? [], cancellationToken);
        }
        catch (SourceNotReadyException e)
        {
            throw new ReconcileFailure(ConditionReasons.SourceFetchFailed, $"get sources failed: {e.Message}") { RetryAfter = _options.RequeueDependency };
        }

        var sourcesDigest = ObservedSources.Digest(sources);
        if (await UpToDateAsync(run, sourcesDigest, cancellationToken))
        {
            run.Conditions.MarkTrue(ConditionTypes.Ready, ConditionReasons.Succeeded,
                $"reconciliation succeeded, generated {run.Inventory.Count} artifact(s)");
            return;
        }

        run.Conditions.MarkUnknown(ConditionTypes.Ready, ConditionReasons.Progressing, InProgress);
        await run.ProgressAsync(InProgress, cancellationToken);

        var workspace = Directory.CreateTempSubdirectory("ag-");
        try
        {
            var local = await FetchAsync(sources, workspace.FullName, cancellationToken);
            IReadOnlyList<ArtifactRequest> requests;
            try
            {
                requests = PathPattern.Expand(run.Spec, local);
            }
            catch (PathPatternException e)
            {
                throw new ReconcileFailure(ConditionReasons.BuildFailed, $"failed to expand path pattern: {e.Message}", stalled: true);
            }

            var inventory = new List<JsonObject>();
            foreach (var request in requests)
            {
                var artifact = await BuildAsync(run, request, sources, local, workspace.FullName, cancellationToken);
                try
                {
                    await _generated.ApplyAsync(run.Object, request.Name, artifact, request.Labels, cancellationToken);
                }
                catch (KubeApiException e)
                {
                    throw new ReconcileFailure(ConditionReasons.ReconciliationFailed, $"{request.Name} reconcile failed: failed to apply ExternalArtifact: {e.Message}");
                }

                inventory.Add(new JsonObject
                {
                    ["name"] = request.Name,
                    ["namespace"] = run.Key.Namespace,
                    ["digest"] = artifact["digest"]!.GetValue<string>(),
                    ["filename"] = Path.GetFileName(artifact["path"]!.GetValue<string>()),
                });
            }

            var generated = inventory.Select(i => i["name"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var orphan in run.Inventory.Where(i => i.Namespace == run.Key.Namespace && !generated.Contains(i.Name ?? "")))
            {
                await DeleteQuietlyAsync(run, orphan, cancellationToken);
            }

            run.Changed = [.. inventory.Where(i => !run.Inventory.Any(old => old.Name == i["name"]!.GetValue<string>()
                && old.Digest == i["digest"]!.GetValue<string>())).Select(i => $"{i["namespace"]}/{i["name"]} ({i["digest"]})")];
            run.Status["inventory"] = new JsonArray([.. inventory]);
            run.Status["observedSourcesDigest"] = sourcesDigest;
            run.Conditions.MarkTrue(ConditionTypes.Ready, ConditionReasons.Succeeded, $"reconciliation succeeded, generated {inventory.Count} artifact(s)");
        }
        finally
        {
            workspace.Delete(recursive: true);
        }
    }

    /// <summary>The generator goes: so do its ExternalArtifacts and their stored artifacts.</summary>
    public async Task FinalizeAsync(ArtifactGeneratorRun run, CancellationToken cancellationToken)
    {
        foreach (var entry in run.Inventory)
        {
            await DeleteQuietlyAsync(run, entry, cancellationToken);
        }
    }

    public RunNotice? Succeeded(ArtifactGeneratorRun run) =>
        run.Changed.Count == 0 ? null : new RunNotice($"external artifacts reconciled: {string.Join('\n', run.Changed)}", ConditionTypes.Ready);

    private void Validate(ArtifactGeneratorRun run)
    {
        var aliases = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in run.Spec.Sources ?? [])
        {
            if (!aliases.Add(source.Alias ?? ""))
            {
                throw Invalid($"duplicate source alias '{source.Alias}' found");
            }

            if (_options.NoCrossNamespaceRefs && source.Namespace is { Length: > 0 } ns && ns != run.Key.Namespace)
            {
                throw new ReconcileFailure(ConditionReasons.AccessDenied,
                    $"cross-namespace reference to source {source.Kind}/{ns}/{source.Name} is not allowed", stalled: true);
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var artifact in run.Spec.Artifacts ?? [])
        {
            if (!names.Add(artifact.Name ?? ""))
            {
                throw Invalid($"duplicate artifact name '{artifact.Name}' found");
            }

            if (artifact.Revision is { Length: > 0 } revision && !aliases.Contains(revision.TrimStart('@')))
            {
                throw Invalid($"artifact {artifact.Name} revision source alias '{revision.TrimStart('@')}' not found");
            }
        }

        static ReconcileFailure Invalid(string message) => new(ConditionReasons.ValidationFailed, message, stalled: true);
    }

    /// <summary>source-watcher's drift check: true when the last run's result still stands and is still in place.</summary>
    private async Task<bool> UpToDateAsync(ArtifactGeneratorRun run, string sourcesDigest, CancellationToken cancellationToken)
    {
        var ready = run.Conditions.Get(ConditionTypes.Ready);
        if (ready is not { Status: ConditionStatus.True } || ready.ObservedGeneration != run.Object.Generation()
            || run.Status["observedSourcesDigest"]?.GetValue<string>() != sourcesDigest
            || (run.Spec.PathPattern is not { Length: > 0 } && run.Inventory.Count != (run.Spec.Artifacts?.Count ?? 0)))
        {
            return false;
        }

        foreach (var entry in run.Inventory)
        {
            var path = $"{ArtifactStore.ObjectDirectory(ExternalArtifact.KindName, entry.Namespace ?? "", entry.Name ?? "")}/{entry.Filename}";
            if (!Digest.TryParse(entry.Digest, out var digest) || !_store.Exists(path)
                || !await _store.VerifyAsync(new StoredArtifact(path, digest, 0, default), cancellationToken))
            {
                return false;
            }
        }

        var inCluster = await _generated.ListAsync(run.Object, cancellationToken);
        return inCluster.Count == run.Inventory.Count && inCluster.All(ea =>
            ea["status"]?["artifact"] is JsonObject artifact
            && run.Inventory.Any(i => i.Name == ea.Name() && i.Digest == artifact["digest"]?.GetValue<string>())
            && artifact["path"]?.GetValue<string>() is { } path && artifact["url"]?.GetValue<string>() == _server.UrlFor(path));
    }

    /// <summary>Downloads each source's artifact into <c>workspace/&lt;alias&gt;</c>.</summary>
    private async Task<IReadOnlyDictionary<string, string>> FetchAsync(
        IReadOnlyDictionary<string, ObservedSource> sources, string workspace, CancellationToken cancellationToken)
    {
        var downloader = new ArtifactDownloader(_options.Http ?? SharedHttp, _options.Limits);
        var local = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (alias, source) in sources)
        {
            var dir = Path.Combine(workspace, "sources", alias);
            try
            {
                await downloader.FetchAsync(source.Url, source.Digest, dir, cancellationToken);
            }
            catch (Exception e) when (e is InvalidOperationException or ArtifactNotFoundException)
            {
                throw new ReconcileFailure(ConditionReasons.SourceFetchFailed, $"fetch sources failed: {e.Message}") { RetryAfter = _options.RequeueDependency };
            }

            local[alias] = dir;
        }

        return local;
    }

    /// <summary>Stages, archives and stores one output artifact; returns its <c>status.artifact</c>.</summary>
    private async Task<JsonObject> BuildAsync(ArtifactGeneratorRun run, ArtifactRequest request, IReadOnlyDictionary<string, ObservedSource> sources,
        IReadOnlyDictionary<string, string> local, string workspace, CancellationToken cancellationToken)
    {
        var staging = Directory.CreateDirectory(Path.Combine(workspace, "artifacts", request.Name)).FullName;
        StoredArtifact stored;
        try
        {
            await new CopyOperations(local, staging, _options.Limits).ApplyAsync(request.Artifact.Copy ?? [], cancellationToken);
            using var archive = new MemoryStream();
            await ArtifactArchiver.CreateAsync(staging, archive, new IgnoreRules(), cancellationToken);
            archive.Position = 0;
            stored = await _store.StoreAsync(ExternalArtifact.KindName, run.Key.Namespace, request.Name, archive, cancellationToken);
        }
        catch (CopyException e)
        {
            throw new ReconcileFailure(ConditionReasons.BuildFailed, $"{request.Name} build failed: failed to apply copy operations: {e.Message}");
        }
        catch (IOException e)
        {
            throw new ReconcileFailure(ConditionReasons.BuildFailed, $"{request.Name} build failed: failed to create artifact: {e.Message}");
        }

        var revision = $"latest@{stored.Digest}";
        if (request.Artifact.Revision is { Length: > 0 } alias && sources.TryGetValue(alias.TrimStart('@'), out var revisionSource))
        {
            revision = revisionSource.Revision;
        }

        Dictionary<string, string>? metadata = null;
        if (request.Artifact.OriginRevision is { Length: > 0 } origin && sources.TryGetValue(origin.TrimStart('@'), out var originSource))
        {
            metadata = new() { [ObservedSources.OriginRevisionKey] = originSource.OriginRevision ?? originSource.Revision };
        }

        await _store.CollectGarbageAsync(ExternalArtifact.KindName, run.Key.Namespace, request.Name, stored.Path, _options.ArtifactsToKeep, cancellationToken);
        return _publisher.Describe(stored, revision, metadata);
    }

    private async Task DeleteQuietlyAsync(ArtifactGeneratorRun run, GeneratedArtifactReference entry, CancellationToken cancellationToken)
    {
        try
        {
            await _generated.DeleteAsync(entry.Namespace ?? run.Key.Namespace, entry.Name ?? "", cancellationToken);
        }
        catch (Exception e) when (e is KubeApiException or IOException)
        {
            _options.Log.Error("Failed to delete ExternalArtifact", e, Kind, run.Key);
        }
    }
}

/// <summary>One ArtifactGenerator reconcile: its typed spec, the inventory it started with and what it changed.</summary>
public sealed class ArtifactGeneratorRun : ReconcileRun
{
    public ArtifactGeneratorRun(JsonObject obj, TimeProvider clock)
        : base(obj, TimeSpan.FromHours(1), clock)
    {
        var generator = ApiObjects.Read<ArtifactGenerator>(obj);
        Spec = generator.Spec ?? new ArtifactGeneratorSpec();
        Inventory = generator.Status?.Inventory ?? [];
        Suspended = string.Equals(obj.Annotation(ArtifactGeneratorReconciler.ReconcileAnnotation), "disabled", StringComparison.OrdinalIgnoreCase);
        if (Suspended && Conditions.Get(ConditionTypes.Ready) is null)
        {
            Conditions.MarkTrue(ConditionTypes.Ready, ConditionReasons.ReconciliationDisabled, "Initialized with reconciliation suspended");
        }
    }

    public ArtifactGeneratorSpec Spec { get; }

    /// <summary><c>status.inventory</c> as the run found it.</summary>
    public IReadOnlyList<GeneratedArtifactReference> Inventory { get; }

    /// <summary><c>namespace/name (digest)</c> of each ExternalArtifact with new content.</summary>
    public IReadOnlyList<string> Changed { get; set; } = [];
}
