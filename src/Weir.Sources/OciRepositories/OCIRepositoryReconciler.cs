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
/// Reconciles an OCIRepository as source-controller does: resolve <c>spec.ref</c> to a revision
/// (<c>v2.1.0@sha256:…</c>), skip the download when that revision is already stored, otherwise pull the layer,
/// store it as a tarball and publish it in <c>status.artifact</c>. Each step throws a
/// <see cref="ReconcileFailure"/>; this class alone turns outcomes into conditions, events and requeues.
/// </summary>
public sealed class OCIRepositoryReconciler(
    ResourceClient client, ArtifactStore store, ArtifactServer server, EventRecorder events, OCIRepositoryOptions? options = null,
    TimeProvider? clock = null) : IReconciler
{
    public const string ControllerName = "source-controller";
    private static readonly string[] ReadyPriority =
    [
        ConditionTypes.StorageOperationFailed, ConditionTypes.FetchFailed, ConditionTypes.ArtifactOutdated,
        ConditionTypes.ArtifactInStorage, ConditionTypes.SourceVerified, ConditionTypes.Stalled, ConditionTypes.Reconciling,
    ];

    private readonly OCIRepositoryOptions _options = options ?? new OCIRepositoryOptions();
    private readonly RegistryAccess _access = new(client);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string Kind => OCIRepository.KindName;

    /// <summary>source-controller's generic reason for a failure no condition of its own describes.</summary>
    public string FailureReason => ConditionReasons.Failed;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var obj = await client.GetAsync(KubeResource.OCIRepository, key, cancellationToken);
        if (obj is null)
        {
            store.DeleteObject(Kind, key.Namespace, key.Name);
            return ReconcileResult.Done;
        }

        var repo = ApiObjects.Read<OCIRepository>(obj);
        var spec = repo.Spec ?? new OCIRepositorySpec();
        if (spec.Suspend == true)
        {
            return ReconcileResult.Done;
        }

        var status = obj["status"] as JsonObject ?? [];
        var conditions = ConditionJson.Read(obj, _clock);
        var interval = FluxDuration.TryParse(spec.Interval, out var parsed) ? parsed : TimeSpan.FromMinutes(1);
        var previousRevision = status["artifact"]?["revision"]?.GetValue<string>();
        try
        {
            if (ReconcileStorage(status, key))
            {
                // Published before the fetch, which may take up to spec.timeout: consumers follow at once.
                await WriteStatusAsync(obj, status, conditions, cancellationToken);
            }

            var fetched = await ReconcileSourceAsync(obj, spec, status, conditions, cancellationToken);
            if (fetched is not null)
            {
                RecordArtifact(status, fetched, key);
                await store.CollectGarbageAsync(Kind, key.Namespace, key.Name, fetched.Stored.Path, _options.ArtifactsToKeep, cancellationToken);
            }

            var revision = status["artifact"]!["revision"]!.GetValue<string>();
            conditions.Remove(ConditionTypes.FetchFailed);
            conditions.Remove(ConditionTypes.ArtifactOutdated);
            conditions.Remove(ConditionTypes.Stalled);
            conditions.Remove(ConditionTypes.Reconciling);
            conditions.MarkTrue(ConditionTypes.ArtifactInStorage, ConditionReasons.Succeeded, $"stored artifact for digest '{revision}'");
            conditions.SummarizeReady(ReadyPriority);
            status["observedGeneration"] = obj.Generation();
            status["observedIgnore"] = spec.Ignore;
            status["observedLayerSelector"] = spec.LayerSelector is null ? null
                : JsonSerializer.SerializeToNode(spec.LayerSelector, ApiJsonContext.Default.OCILayerSelector);
            await WriteStatusAsync(obj, status, conditions, cancellationToken);
            if (revision != previousRevision)
            {
                _options.Log.Info($"stored artifact with revision '{revision}' from '{spec.Url}'", Kind, key,
                    new Dictionary<string, string> { ["revision"] = revision });
                await events.RecordAsync(obj, EventRecorder.Normal, "NewArtifact",
                    $"stored artifact with revision '{revision}' from '{spec.Url}'", RevisionAnnotations(revision), cancellationToken);
            }

            return ReconcileResult.After(_options.Jitter.Apply(interval));
        }
        catch (ReconcileFailure failure)
        {
            conditions.MarkTrue(failure.ConditionType ?? ConditionTypes.FetchFailed, failure.Reason, failure.Message);
            if (failure.Stalled)
            {
                conditions.Remove(ConditionTypes.Reconciling);
                conditions.MarkStalled(failure.Reason, failure.Message);
                status["observedGeneration"] = obj.Generation();
            }
            else
            {
                conditions.MarkReconciling(ConditionReasons.ProgressingWithRetry, conditions.Get(ConditionTypes.Reconciling)?.Message ?? "reconciliation in progress");
            }

            conditions.MarkFalse(ConditionTypes.Ready, failure.Reason, failure.Message);
            _options.Log.Error("Reconciler error", failure, Kind, key);
            await WriteStatusAsync(obj, status, conditions, cancellationToken);
            await events.RecordAsync(obj, EventRecorder.Warning, failure.Reason, failure.Message, cancellationToken: cancellationToken);
            return failure.Stalled ? ReconcileResult.Done : ReconcileResult.Retry(interval);
        }
    }

    /// <summary>Returns what was newly stored, or null when the stored artifact is already current.</summary>
    private async Task<FetchedArtifact?> ReconcileSourceAsync(
        JsonObject obj, OCIRepositorySpec spec, JsonObject status, ConditionSet conditions, CancellationToken cancellationToken)
    {
        var reference = ParseUrl(spec.Url);
        var registryOptions = await _access.OptionsForAsync(obj.Namespace(), spec, reference, cancellationToken);
        registryOptions = registryOptions with { MaxBlobSize = _options.MaxArtifactSize };
        using var registry = new RegistryClient(reference.Host, registryOptions);
        var resolved = await OciRevisionResolver.ResolveAsync(registry, reference, spec.Ref, cancellationToken);

        var current = status["artifact"] as JsonObject;
        var upToDate = current?["revision"]?.GetValue<string>() == resolved.Revision
            && current["path"]?.GetValue<string>() is { } path && store.Exists(path)
            && status["observedIgnore"]?.GetValue<string>() == spec.Ignore
            && status["observedGeneration"]?.GetValue<long>() == obj.Generation();
        if (upToDate)
        {
            return null;
        }

        var message = current is null || current["revision"]?.GetValue<string>() == resolved.Revision
            ? "building artifact"
            : $"building artifact: new revision '{resolved.Revision}' for '{spec.Url}'";
        conditions.MarkReconciling(ConditionReasons.Progressing, message);
        if (conditions.Get(ConditionTypes.Ready) is null or { Status: not ConditionStatus.False })
        {
            conditions.MarkUnknown(ConditionTypes.Ready, ConditionReasons.Progressing, message);
        }

        await WriteStatusAsync(obj, status, conditions, cancellationToken);

        var fetcher = new OciArtifactFetcher(store);
        return await fetcher.FetchAsync(registry, resolved, spec, Kind, obj.Namespace(), obj.Name(), cancellationToken);
    }

    /// <summary>
    /// Points the URLs of a stored artifact at this server, as source-controller's storage step does: the address
    /// may have changed since they were written (a restart on another port, another replica). True when they changed.
    /// </summary>
    private bool ReconcileStorage(JsonObject status, ObjectKey key)
    {
        if (status["artifact"] is not JsonObject artifact || artifact["path"]?.GetValue<string>() is not { } path || !store.Exists(path))
        {
            return false;
        }

        var url = server.UrlFor(path);
        var latest = LatestUrl(key);
        if (artifact["url"]?.GetValue<string>() == url && status["url"]?.GetValue<string>() == latest)
        {
            return false;
        }

        artifact["url"] = url;
        status["url"] = latest;
        return true;
    }

    private string LatestUrl(ObjectKey key) => server.UrlFor($"{ArtifactStore.ObjectDirectory(Kind, key.Namespace, key.Name)}/{ArtifactStore.LatestAlias}");

    private void RecordArtifact(JsonObject status, FetchedArtifact fetched, ObjectKey key)
    {
        var metadata = fetched.Annotations;
        var url = server.UrlFor(fetched.Stored.Path);
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

    private Task WriteStatusAsync(JsonObject obj, JsonObject status, ConditionSet conditions, CancellationToken cancellationToken) =>
        StatusPatch.WriteAsync(client, KubeResource.OCIRepository, obj, status, conditions, cancellationToken);

    private static Dictionary<string, string> RevisionAnnotations(string revision) =>
        new() { ["source.toolkit.fluxcd.io/revision"] = revision };
}
