using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Helm.Repositories;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Sources.Storage;

namespace Weir.Sources.HelmRepositories;

/// <summary>Settings of the HelmRepository controller.</summary>
public sealed record HelmRepositoryOptions : SourceControllerOptions
{
    /// <summary>Largest index downloaded (source-controller's MaxIndexSize).</summary>
    public long MaxIndexSize { get; init; } = HelmIndex.MaxSize;
}

/// <summary>
/// Reconciles a HelmRepository as source-controller does. <c>type: default</c> runs three steps on the
/// <see cref="ReconcileRunner{TRun}"/>: storage (point a stored index's URLs at this server), source (download
/// <c>index.yaml</c>; an index whose digest is the stored revision ends the run there, otherwise it must read as a
/// Helm index) and artifact (store it as JSON, revision <c>sha256:&lt;digest of the download&gt;</c>).
/// <c>type: oci</c> repositories are static, as in Flux 2.x: never reconciled, and one that still carries the
/// finalizer, a status or stored artifacts from before is stripped of them.
/// </summary>
public sealed class HelmRepositoryReconciler : IReconciler, IReconcileSteps<HelmRepositoryRun>
{
    public const string ControllerName = "source-controller";

    private readonly ResourceClient _client;
    private readonly ArtifactStore _store;
    private readonly ArtifactPublisher _publisher;
    private readonly HelmRepositoryOptions _options;
    private readonly HelmRepositoryAccess _access;
    private readonly TimeProvider _clock;
    private readonly ReconcileRunner<HelmRepositoryRun> _runner;

    public HelmRepositoryReconciler(
        ResourceClient client, ArtifactStore store, ArtifactServer server, EventRecorder events, HelmRepositoryOptions? options = null,
        TimeProvider? clock = null)
    {
        _client = client;
        _store = store;
        _publisher = new ArtifactPublisher(store, server, HelmRepository.KindName);
        _options = options ?? new HelmRepositoryOptions();
        _access = new HelmRepositoryAccess(client);
        _clock = clock ?? TimeProvider.System;
        Settings = _options.SettingsFor(KubeResource.HelmRepository);
        _runner = new ReconcileRunner<HelmRepositoryRun>(client, events, this);
    }

    public string Kind => HelmRepository.KindName;

    public string FailureReason => ConditionReasons.Failed;

    public ReconcilerSettings Settings { get; }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var obj = await _client.GetAsync(KubeResource.HelmRepository, key, cancellationToken);
        if (obj?["spec"]?["type"]?.GetValue<string>() == "oci")
        {
            await MakeStaticAsync(obj, cancellationToken);
            return ReconcileResult.Done;
        }

        return await _runner.ReconcileAsync(key, cancellationToken);
    }

    public HelmRepositoryRun Begin(JsonObject obj) => new(obj, _clock);

    public async Task ReconcileAsync(HelmRepositoryRun run, CancellationToken cancellationToken)
    {
        if (run.Conditions.Get(ConditionTypes.Reconciling) is null)
        {
            run.Conditions.MarkReconciling(ConditionReasons.Progressing, "reconciliation in progress");
        }

        await _publisher.RefreshUrlsAsync(run, cancellationToken);
        var fetched = await ReconcileSourceAsync(run, cancellationToken);
        await ReconcileArtifactAsync(run, fetched, cancellationToken);
    }

    public Task FinalizeAsync(HelmRepositoryRun run, CancellationToken cancellationToken)
    {
        _store.DeleteObject(Kind, run.Key.Namespace, run.Key.Name);
        return Task.CompletedTask;
    }

    public RunNotice? Succeeded(HelmRepositoryRun run)
    {
        if (run.Revision is not { } revision || revision == run.PreviousRevision || run.StoredSize is not { } size)
        {
            return null;
        }

        return new RunNotice($"stored fetched index of size {HumanSize(size)} from '{run.Spec.Url}'", "NewArtifact",
            new Dictionary<string, string> { ["source.toolkit.fluxcd.io/revision"] = revision })
        {
            LogFields = new Dictionary<string, string> { ["revision"] = revision },
        };
    }

    /// <summary>Go's units.HumanSize: decimal units, four significant digits (<c>1.234kB</c>).</summary>
    public static string HumanSize(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return value.ToString("G4", CultureInfo.InvariantCulture) + units[unit];
    }

    /// <summary>Downloads the index; returns the index to store, or null when the stored one has the same digest.</summary>
    private async Task<(string Revision, HelmIndex Index)?> ReconcileSourceAsync(HelmRepositoryRun run, CancellationToken cancellationToken)
    {
        var spec = run.Spec;
        var url = RepositoryUrl(spec.Url);
        var credentials = await _access.CredentialsForAsync(run.Key.Namespace, spec, cancellationToken);
        byte[] content;
        using (var http = new HelmHttpClient(url, credentials))
        {
            try
            {
                content = await http.GetAsync(http.IndexUrl, _options.MaxIndexSize, "index", cancellationToken);
            }
            catch (HelmFetchException e)
            {
                throw new ReconcileFailure(ConditionReasons.Failed, $"failed to fetch Helm repository index: {e.Message}", ConditionTypes.FetchFailed);
            }
        }

        var revision = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        if (_publisher.IsStored(run.Status, revision))
        {
            return null;
        }

        HelmIndex index;
        try
        {
            index = HelmIndex.Parse(content);
        }
        catch (HelmIndexException e)
        {
            throw new ReconcileFailure(ConditionReasons.IndexationFailed,
                $"failed to load Helm repository from index YAML: {e.Message}", ConditionTypes.FetchFailed);
        }

        run.Conditions.Remove(ConditionTypes.FetchFailed);
        var message = $"new index revision '{revision}'";
        if (run.Status["artifact"] is not null)
        {
            run.Conditions.MarkTrue(ConditionTypes.ArtifactOutdated, ConditionReasons.NewRevision, message);
        }

        await SourceControllerOptions.BuildingAsync(run, $"building artifact: {message}", cancellationToken);
        return (revision, index);
    }

    private async Task ReconcileArtifactAsync(HelmRepositoryRun run, (string Revision, HelmIndex Index)? fetched, CancellationToken cancellationToken)
    {
        if (fetched is { } next)
        {
            StoredArtifact stored;
            try
            {
                using var json = new MemoryStream(Encoding.UTF8.GetBytes(next.Index.Document.ToJsonString()));
                stored = await _store.StoreAsync(Kind, run.Key.Namespace, run.Key.Name, json, ".yaml", cancellationToken);
            }
            catch (IOException e)
            {
                throw new ReconcileFailure(ConditionReasons.ArchiveOperationFailed,
                    $"unable to save artifact to storage: {e.Message}", ConditionTypes.StorageOperationFailed);
            }

            await _publisher.RecordAsync(run, stored, next.Revision, null, _options.ArtifactsToKeep, cancellationToken);
            run.StoredSize = stored.Size;
        }

        run.Revision = run.Status["artifact"]!["revision"]!.GetValue<string>();
        run.Conditions.Remove(ConditionTypes.FetchFailed);
        run.Conditions.Remove(ConditionTypes.StorageOperationFailed);
        run.Conditions.Remove(ConditionTypes.ArtifactOutdated);
        run.Conditions.MarkTrue(ConditionTypes.ArtifactInStorage, ConditionReasons.Succeeded, $"stored artifact: revision '{run.Revision}'");
    }

    /// <summary>The repository URL of a <c>type: default</c> repository; anything else stops the object (URLInvalid).</summary>
    public static Uri RepositoryUrl(string? url)
    {
        if (url?.StartsWith("oci://", StringComparison.Ordinal) == true)
        {
            throw new ReconcileFailure(ConditionReasons.URLInvalid,
                "invalid Helm repository URL: 'oci' URL scheme cannot be used with 'default' HelmRepository type", ConditionTypes.FetchFailed, stalled: true);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ReconcileFailure(ConditionReasons.URLInvalid,
                $"invalid Helm repository URL: parse \"{url}\": invalid URI for request", ConditionTypes.FetchFailed, stalled: true);
        }

        return uri;
    }

    /// <summary>What source-controller's migration to static does for a type oci repository: no artifacts, finalizer or status.</summary>
    private async Task MakeStaticAsync(JsonObject obj, CancellationToken cancellationToken)
    {
        if (obj["spec"]?["suspend"]?.GetValueKind() == System.Text.Json.JsonValueKind.True && obj.Metadata()?["deletionTimestamp"] is null)
        {
            return;
        }

        var finalizers = (obj.Metadata()?["finalizers"] as JsonArray ?? []).Select(f => f?.GetValue<string>()).ToList();
        // The API server defaults the status to {observedGeneration: -1}: that alone is an empty status.
        var recorded = (obj["status"] as JsonObject ?? []).Select(p => p.Key).Where(k => k != "observedGeneration").ToList();
        if (!finalizers.Contains(ReconcilerSettings.FluxFinalizer) && recorded.Count == 0)
        {
            return;
        }

        _store.DeleteObject(Kind, obj.Namespace(), obj.Name());
        var resourceVersion = obj.ResourceVersion();
        try
        {
            if (recorded.Count > 0)
            {
                var reset = new JsonObject(recorded.Select(k => KeyValuePair.Create(k, (JsonNode?)null)));
                var updated = await _client.PatchAsync(KubeResource.HelmRepository, obj.Key(), new JsonObject { ["status"] = reset }, "merge", status: true,
                    cancellationToken: cancellationToken);
                resourceVersion = updated.ResourceVersion();
            }

            if (finalizers.Contains(ReconcilerSettings.FluxFinalizer))
            {
                var patch = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["finalizers"] = new JsonArray([.. finalizers.Where(f => f != ReconcilerSettings.FluxFinalizer).Select(f => (JsonNode?)f)]),
                        ["resourceVersion"] = resourceVersion,
                    },
                };
                await _client.PatchAsync(KubeResource.HelmRepository, obj.Key(), patch, "merge", cancellationToken: cancellationToken);
            }
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
            // Gone, or changed meanwhile: the change brings it back to the queue.
        }
    }
}

/// <summary>One HelmRepository reconcile: its typed spec and the revision it ends with.</summary>
public sealed class HelmRepositoryRun : ReconcileRun
{
    public HelmRepositoryRun(JsonObject obj, TimeProvider clock)
        : base(obj, TimeSpan.FromMinutes(10), clock)
    {
        Spec = ApiObjects.Read<HelmRepository>(obj).Spec ?? new HelmRepositorySpec();
        PreviousRevision = Status["artifact"]?["revision"]?.GetValue<string>();
    }

    public HelmRepositorySpec Spec { get; }

    public string? PreviousRevision { get; }

    public string? Revision { get; set; }

    /// <summary>Size of the index stored by this run, if any.</summary>
    public long? StoredSize { get; set; }
}
