using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Oci.Distribution;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Sources.Storage;

namespace Weir.Sources.OciRepositories;

/// <summary>Settings of the OCIRepository controller.</summary>
public sealed record OCIRepositoryOptions
{
    /// <summary>Largest layer downloaded; larger artifacts fail with a message naming the size.</summary>
    public long MaxArtifactSize { get; init; } = 256L * 1024 * 1024;

    /// <summary>Artifacts kept per object by garbage collection.</summary>
    public int ArtifactsToKeep { get; init; } = 2;

    public IntervalJitter Jitter { get; init; } = new();

    public JsonLog Log { get; init; } = JsonLog.Discard;
}

/// <summary>
/// Reconciles an OCIRepository as source-controller does, in three steps on the <see cref="ReconcileRunner{TRun}"/>:
/// storage (point a stored artifact's URLs at this server), source (resolve <c>spec.ref</c> to a revision such as
/// <c>v2.1.0@sha256:…</c> and pull the layer unless that revision is already stored), artifact (publish it in
/// <c>status.artifact</c>, collect old ones). Deleting the object removes its stored artifacts (finalizer).
/// </summary>
public sealed class OCIRepositoryReconciler : IReconciler, IReconcileSteps<OCIRepositoryRun>
{
    public const string ControllerName = "source-controller";

    private readonly ArtifactStore _store;
    private readonly ArtifactServer _server;
    private readonly OCIRepositoryOptions _options;
    private readonly RegistryAccess _access;
    private readonly TimeProvider _clock;
    private readonly ReconcileRunner<OCIRepositoryRun> _runner;

    public OCIRepositoryReconciler(
        ResourceClient client, ArtifactStore store, ArtifactServer server, EventRecorder events, OCIRepositoryOptions? options = null,
        TimeProvider? clock = null)
    {
        _store = store;
        _server = server;
        _options = options ?? new OCIRepositoryOptions();
        _access = new RegistryAccess(client);
        _clock = clock ?? TimeProvider.System;
        Settings = new ReconcilerSettings(KubeResource.OCIRepository)
        {
            ReadySummary = ReadySummary.Source,
            FailureCondition = ConditionTypes.FetchFailed,
            BackoffOnFailure = true,
            Jitter = _options.Jitter,
            Log = _options.Log,
        };
        _runner = new ReconcileRunner<OCIRepositoryRun>(client, events, this);
    }

    public string Kind => OCIRepository.KindName;

    /// <summary>source-controller's generic reason for a failure no condition of its own describes.</summary>
    public string FailureReason => ConditionReasons.Failed;

    public ReconcilerSettings Settings { get; }

    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => _runner.ReconcileAsync(key, cancellationToken);

    public OCIRepositoryRun Begin(JsonObject obj) => new(obj, _clock);

    public async Task ReconcileAsync(OCIRepositoryRun run, CancellationToken cancellationToken)
    {
        if (run.Conditions.Get(ConditionTypes.Reconciling) is null)
        {
            run.Conditions.MarkReconciling(ConditionReasons.Progressing, "reconciliation in progress");
        }

        await ReconcileStorageAsync(run, cancellationToken);
        var fetched = await ReconcileSourceAsync(run, cancellationToken);
        await ReconcileArtifactAsync(run, fetched, cancellationToken);
    }

    /// <summary>The object is being deleted: its stored artifacts go with it.</summary>
    public Task FinalizeAsync(OCIRepositoryRun run, CancellationToken cancellationToken)
    {
        _store.DeleteObject(Kind, run.Key.Namespace, run.Key.Name);
        return Task.CompletedTask;
    }

    public RunNotice? Succeeded(OCIRepositoryRun run)
    {
        if (run.Revision is not { } revision || revision == run.PreviousRevision)
        {
            return null;
        }

        return new RunNotice($"stored artifact with revision '{revision}' from '{run.Spec.Url}'", "NewArtifact",
            new Dictionary<string, string> { ["source.toolkit.fluxcd.io/revision"] = revision })
        {
            LogFields = new Dictionary<string, string> { ["revision"] = revision },
        };
    }

    /// <summary>
    /// Points the URLs of a stored artifact at this server, as source-controller's storage step does: the address
    /// may have changed since they were written (a restart on another port, another replica). Published before the
    /// fetch, which may take up to spec.timeout, so consumers follow at once.
    /// </summary>
    private async Task ReconcileStorageAsync(OCIRepositoryRun run, CancellationToken cancellationToken)
    {
        var status = run.Status;
        if (status["artifact"] is not JsonObject artifact || artifact["path"]?.GetValue<string>() is not { } path || !_store.Exists(path))
        {
            return;
        }

        artifact["url"] = _server.UrlFor(path);
        status["url"] = LatestUrl(run.Key);
        await run.PatchStatusAsync(cancellationToken);
    }

    /// <summary>Resolves the revision; returns what was newly stored, or null when the stored artifact is already current.</summary>
    private async Task<FetchedArtifact?> ReconcileSourceAsync(OCIRepositoryRun run, CancellationToken cancellationToken)
    {
        var spec = run.Spec;
        var status = run.Status;
        var reference = ParseUrl(spec.Url);
        var registryOptions = await _access.OptionsForAsync(run.Key.Namespace, spec, reference, cancellationToken);
        registryOptions = registryOptions with { MaxBlobSize = _options.MaxArtifactSize };
        using var registry = new RegistryClient(reference.Host, registryOptions);
        var resolved = await OciRevisionResolver.ResolveAsync(registry, reference, spec.Ref, cancellationToken);

        var current = status["artifact"] as JsonObject;
        var upToDate = current?["revision"]?.GetValue<string>() == resolved.Revision
            && current["path"]?.GetValue<string>() is { } path && _store.Exists(path)
            && status["observedIgnore"]?.GetValue<string>() == spec.Ignore
            && status["observedGeneration"]?.GetValue<long>() == run.Object.Generation();
        if (upToDate)
        {
            return null;
        }

        var message = current is null || current["revision"]?.GetValue<string>() == resolved.Revision
            ? "building artifact"
            : $"building artifact: new revision '{resolved.Revision}' for '{spec.Url}'";
        if (run.Conditions.Get(ConditionTypes.Ready) is null or { Status: not ConditionStatus.False })
        {
            run.Conditions.MarkUnknown(ConditionTypes.Ready, ConditionReasons.Progressing, message);
        }

        await run.ProgressAsync(message, cancellationToken);
        var fetcher = new OciArtifactFetcher(_store);
        return await fetcher.FetchAsync(registry, resolved, spec, Kind, run.Key.Namespace, run.Key.Name, cancellationToken);
    }

    /// <summary>Publishes a newly stored artifact, collects old ones, and records what the artifact was built from.</summary>
    private async Task ReconcileArtifactAsync(OCIRepositoryRun run, FetchedArtifact? fetched, CancellationToken cancellationToken)
    {
        var status = run.Status;
        var spec = run.Spec;
        if (fetched is not null)
        {
            RecordArtifact(status, fetched, run.Key);
            await _store.CollectGarbageAsync(Kind, run.Key.Namespace, run.Key.Name, fetched.Stored.Path, _options.ArtifactsToKeep, cancellationToken);
        }

        run.Revision = status["artifact"]!["revision"]!.GetValue<string>();
        run.Conditions.Remove(ConditionTypes.FetchFailed);
        run.Conditions.Remove(ConditionTypes.ArtifactOutdated);
        run.Conditions.MarkTrue(ConditionTypes.ArtifactInStorage, ConditionReasons.Succeeded, $"stored artifact for digest '{run.Revision}'");
        status["observedIgnore"] = spec.Ignore;
        status["observedLayerSelector"] = spec.LayerSelector is null ? null
            : JsonSerializer.SerializeToNode(spec.LayerSelector, ApiJsonContext.Default.OCILayerSelector);
    }

    private string LatestUrl(ObjectKey key) => _server.UrlFor($"{ArtifactStore.ObjectDirectory(Kind, key.Namespace, key.Name)}/{ArtifactStore.LatestAlias}");

    private void RecordArtifact(JsonObject status, FetchedArtifact fetched, ObjectKey key)
    {
        var metadata = fetched.Annotations;
        var url = _server.UrlFor(fetched.Stored.Path);
        status["artifact"] = new JsonObject
        {
            ["revision"] = fetched.Revision,
            ["digest"] = fetched.Stored.Digest.ToString(),
            ["path"] = fetched.Stored.Path,
            ["url"] = url,
            ["lastUpdateTime"] = KubeTime.Format(fetched.Stored.LastUpdateTime),
            ["size"] = fetched.Stored.Size,
            ["metadata"] = metadata.Count == 0 ? null : new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
        };
        status["url"] = LatestUrl(key);
    }

    private static OciReference ParseUrl(string? url)
    {
        if (url is null || !url.StartsWith("oci://", StringComparison.Ordinal))
        {
            throw new ReconcileFailure(ConditionReasons.URLInvalid,
                $"URL validation failed for '{url}': URL must be in format 'oci://<domain>/<org>/<repo>'", ConditionTypes.FetchFailed, stalled: true);
        }

        OciReference reference;
        try
        {
            reference = OciReference.Parse(url["oci://".Length..]);
        }
        catch (FormatException e)
        {
            throw new ReconcileFailure(ConditionReasons.URLInvalid, $"URL validation failed for '{url}': {e.Message}", ConditionTypes.FetchFailed, stalled: true);
        }

        if (reference.Tag is not null || reference.Digest is not null)
        {
            throw new ReconcileFailure(ConditionReasons.URLInvalid,
                $"URL validation failed for '{url}': URL must not contain a tag; remove ':{reference.Tag ?? reference.Digest}'",
                ConditionTypes.FetchFailed, stalled: true);
        }

        return reference;
    }
}

/// <summary>One OCIRepository reconcile: its typed spec and the revision it ends with.</summary>
public sealed class OCIRepositoryRun : ReconcileRun
{
    public OCIRepositoryRun(JsonObject obj, TimeProvider clock)
        : base(obj, TimeSpan.FromMinutes(1), clock)
    {
        Spec = ApiObjects.Read<OCIRepository>(obj).Spec ?? new OCIRepositorySpec();
        PreviousRevision = Status["artifact"]?["revision"]?.GetValue<string>();
    }

    public OCIRepositorySpec Spec { get; }

    /// <summary>The revision stored when the run started.</summary>
    public string? PreviousRevision { get; }

    /// <summary>The revision stored when the run ends.</summary>
    public string? Revision { get; set; }
}
