using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Runtime.Controllers;

namespace Weir.Sources.Storage;

/// <summary>
/// Writes a source's <c>status.artifact</c> and <c>status.url</c> for the artifacts this server stores: the storage
/// step every source reconciler starts with, and the record of a newly stored artifact.
/// </summary>
public sealed class ArtifactPublisher(ArtifactStore store, ArtifactServer server, string kind)
{
    /// <summary>
    /// Points the URLs of a stored artifact at this server, as source-controller's storage step does: the address
    /// may have changed since they were written (a restart on another port, another replica). Published before the
    /// fetch, which may take up to spec.timeout, so consumers follow at once.
    /// </summary>
    public async Task RefreshUrlsAsync(ReconcileRun run, CancellationToken cancellationToken)
    {
        var status = run.Status;
        if (status["artifact"] is not JsonObject artifact || artifact["path"]?.GetValue<string>() is not { } path || !store.Exists(path))
        {
            return;
        }

        artifact["url"] = server.UrlFor(path);
        status["url"] = LatestUrl(run.Key);
        await run.PatchStatusAsync(cancellationToken);
    }

    /// <summary>True when the status names an artifact with this revision that is still in storage.</summary>
    public bool IsStored(JsonObject status, string? revision) =>
        status["artifact"] is JsonObject current && revision is not null && current["revision"]?.GetValue<string>() == revision
        && current["path"]?.GetValue<string>() is { } path && store.Exists(path);

    /// <summary>Records a newly stored artifact in the status and removes all but the newest <paramref name="keep"/>.</summary>
    public async Task RecordAsync(ReconcileRun run, StoredArtifact stored, string revision, IReadOnlyDictionary<string, string>? metadata,
        int keep, CancellationToken cancellationToken)
    {
        run.Status["artifact"] = Describe(stored, revision, metadata);
        run.Status["url"] = LatestUrl(run.Key);
        await store.CollectGarbageAsync(kind, run.Key.Namespace, run.Key.Name, stored.Path, keep, cancellationToken);
    }

    /// <summary>The <c>status.artifact</c> of a stored artifact, served by this server.</summary>
    public JsonObject Describe(StoredArtifact stored, string revision, IReadOnlyDictionary<string, string>? metadata) => new()
    {
        ["revision"] = revision,
        ["digest"] = stored.Digest.ToString(),
        ["path"] = stored.Path,
        ["url"] = server.UrlFor(stored.Path),
        ["lastUpdateTime"] = KubeTime.Format(stored.LastUpdateTime),
        ["size"] = stored.Size,
        ["metadata"] = metadata is null || metadata.Count == 0 ? null
            : new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
    };

    private string LatestUrl(ObjectKey key) => server.UrlFor($"{ArtifactStore.ObjectDirectory(kind, key.Namespace, key.Name)}/{ArtifactStore.LatestAlias}");
}
