using System.Globalization;
using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Helm.Dependencies;
using Weir.Runtime.Artifacts;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Sources.HelmRepositories;
using Weir.Sources.Storage;

namespace Weir.Sources.HelmCharts;

/// <summary>Settings of the HelmChart controller.</summary>
public sealed record HelmChartOptions : SourceControllerOptions
{
    /// <summary>How soon a chart whose source has no artifact yet looks again (the source's watch usually comes first).</summary>
    public TimeSpan NoSourceArtifactRequeue { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bounds on extracting a GitRepository/Bucket artifact to find a chart in it.</summary>
    public ExtractionLimits SourceLimits { get; init; } = new();
}

/// <summary>
/// Reconciles a HelmChart as source-controller does, in three steps on the <see cref="ReconcileRunner{TRun}"/>:
/// storage (point a stored chart's URLs at this server), source (read the <c>sourceRef</c> and build the chart from
/// it — from a HelmRepository's index or OCI tags with <see cref="RepositoryChartBuilder"/>, from any other source's
/// artifact with <see cref="ArtifactChartBuilder"/>) and artifact (store the package; its revision is the chart
/// version). The stored chart is reused while the built name and version stay the same.
/// </summary>
public sealed class HelmChartReconciler : IReconciler, IReconcileSteps<HelmChartRun>
{
    public const string ControllerName = "source-controller";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(2) };

    private readonly ResourceClient _client;
    private readonly ArtifactStore _store;
    private readonly ArtifactPublisher _publisher;
    private readonly HelmChartOptions _options;
    private readonly RepositoryChartBuilder _repositories;
    private readonly DependencyRepositories _dependencies;
    private readonly TimeProvider _clock;
    private readonly ReconcileRunner<HelmChartRun> _runner;

    public HelmChartReconciler(
        ResourceClient client, ArtifactStore store, ArtifactServer server, EventRecorder events, HelmChartOptions? options = null,
        TimeProvider? clock = null)
    {
        _client = client;
        _store = store;
        _publisher = new ArtifactPublisher(store, server, HelmChart.KindName);
        _options = options ?? new HelmChartOptions();
        var access = new HelmRepositoryAccess(client);
        _repositories = new RepositoryChartBuilder(store, access);
        _dependencies = new DependencyRepositories(client, store, access);
        _clock = clock ?? TimeProvider.System;
        Settings = _options.SettingsFor(KubeResource.HelmChart) with { ReadySummary = ReadySummary.HelmChart };
        _runner = new ReconcileRunner<HelmChartRun>(client, events, this);
    }

    public string Kind => HelmChart.KindName;

    public string FailureReason => ConditionReasons.Failed;

    public ReconcilerSettings Settings { get; }

    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => _runner.ReconcileAsync(key, cancellationToken);

    public HelmChartRun Begin(JsonObject obj) => new(obj, _clock);

    public async Task ReconcileAsync(HelmChartRun run, CancellationToken cancellationToken)
    {
        if (run.Conditions.Get(ConditionTypes.Reconciling) is null)
        {
            run.Conditions.MarkReconciling(ConditionReasons.Progressing, "reconciliation in progress");
        }

        await _publisher.RefreshUrlsAsync(run, cancellationToken);
        var source = await SourceAsync(run, cancellationToken);
        var build = await BuildAsync(run, source, cancellationToken);
        await ReconcileArtifactAsync(run, build, cancellationToken);
    }

    public Task FinalizeAsync(HelmChartRun run, CancellationToken cancellationToken)
    {
        _store.DeleteObject(Kind, run.Key.Namespace, run.Key.Name);
        return Task.CompletedTask;
    }

    public RunNotice? Succeeded(HelmChartRun run)
    {
        if (run.Build is not { Package: not null } build)
        {
            return null;
        }

        return new RunNotice(build.Summary, build.Reason, new Dictionary<string, string> { ["source.toolkit.fluxcd.io/revision"] = build.Version })
        {
            LogFields = new Dictionary<string, string> { ["revision"] = build.Version },
        };
    }

    /// <summary>The source object, which must have an artifact (an OCI HelmRepository has none and needs none).</summary>
    private async Task<JsonObject> SourceAsync(HelmChartRun run, CancellationToken cancellationToken)
    {
        var reference = run.Spec.SourceRef;
        var kind = reference?.Kind ?? "";
        if (KindRegistry.Source(kind) is not { } served || served.Kind == HelmChart.KindName)
        {
            throw new ReconcileFailure("UnsupportedSourceKind",
                $"failed to get source: unsupported source kind '{kind}', must be one of: [{HelmRepository.KindName} {GitRepository.KindName} {Bucket.KindName}]",
                ConditionTypes.FetchFailed, stalled: true);
        }

        JsonObject? source;
        try
        {
            source = await _client.GetAsync(served.Resource, new ObjectKey(run.Key.Namespace, reference!.Name ?? ""), cancellationToken);
        }
        catch (KubeApiException e)
        {
            throw new ReconcileFailure(ConditionReasons.SourceUnavailable, $"failed to get source: {e.Message}", ConditionTypes.FetchFailed);
        }

        if (source is null)
        {
            throw new ReconcileFailure(ConditionReasons.SourceUnavailable,
                $"failed to get source: {served.Resource.Plural}.{served.Resource.Group} \"{reference.Name}\" not found", ConditionTypes.FetchFailed);
        }

        var isOciRepository = kind == HelmRepository.KindName && source["spec"]?["type"]?.GetValue<string>() == "oci";
        var artifact = ArtifactOf(source);
        if (!isOciRepository && (artifact is null || (IsStoredHere(kind) && !_store.Exists(artifact.Path))))
        {
            throw new ReconcileWait(ConditionReasons.NoSourceArtifact, $"no artifact available for {kind} source '{reference.Name}'",
                _options.NoSourceArtifactRequeue, ConditionTypes.FetchFailed);
        }

        if (artifact is not null)
        {
            run.Status["observedSourceArtifactRevision"] = artifact.Revision;
        }

        return source;
    }

    private async Task<ChartBuild> BuildAsync(HelmChartRun run, JsonObject source, CancellationToken cancellationToken)
    {
        var spec = run.Spec;
        var kind = spec.SourceRef!.Kind!;
        var artifact = ArtifactOf(source);
        var fromRepository = kind == HelmRepository.KindName;
        var metadata = fromRepository ? null : RevisionMetadata(spec, kind, artifact!.Revision);
        var valuesFiles = (spec.ValuesFiles ?? []).Where(f => f.Length > 0).ToList();
        if (valuesFiles.Count > 0)
        {
            metadata = (metadata is null ? "" : metadata + ".") + run.Object.Generation().ToString(CultureInfo.InvariantCulture);
        }

        var options = new ChartBuildOptions(valuesFiles, spec.IgnoreMissingValuesFiles ?? false, metadata, StoredChart(run));
        try
        {
            run.Build = fromRepository
                ? await _repositories.BuildAsync(run.Key.Namespace, ApiObjects.Read<HelmRepository>(source).Spec ?? new HelmRepositorySpec(), artifact, spec,
                    options, cancellationToken)
                : await BuildFromArtifactAsync(artifact!, spec.Chart ?? "", options, _dependencies.For(run.Key.Namespace), cancellationToken);
            return run.Build;
        }
        catch (ReconcileFailure failure)
        {
            // As source-controller's observeChartBuild: a build failure replaces an earlier fetch failure and the reverse.
            run.Conditions.Remove(failure.ConditionType == ConditionTypes.BuildFailed ? ConditionTypes.FetchFailed : ConditionTypes.BuildFailed);
            throw;
        }
    }

    private async Task<ChartBuild> BuildFromArtifactAsync(JsonArtifact artifact, string chart, ChartBuildOptions options,
        ChartRepositoryResolver dependencies, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("weir-chart-");
        try
        {
            try
            {
                if (_store.Exists(artifact.Path))
                {
                    await using var stored = _store.OpenRead(artifact.Path);
                    await SafeExtractor.ExtractAsync(stored, work.FullName, _options.SourceLimits, cancellationToken);
                }
                else
                {
                    await new ArtifactDownloader(Http, _options.SourceLimits).FetchAsync(artifact.Url, artifact.Digest ?? "", work.FullName, cancellationToken);
                }
            }
            catch (Exception e) when (e is ArchiveException or InvalidOperationException or ArtifactNotFoundException or IOException)
            {
                throw new ReconcileFailure(ConditionReasons.Failed, $"artifact untar error: {e.Message}", ConditionTypes.FetchFailed);
            }

            return await ArtifactChartBuilder.BuildAsync(work.FullName, chart, options, dependencies, cancellationToken);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private async Task ReconcileArtifactAsync(HelmChartRun run, ChartBuild build, CancellationToken cancellationToken)
    {
        var status = run.Status;
        if (build.Package is { } package)
        {
            var message = build.Summary;
            if (status["artifact"] is not null)
            {
                run.Conditions.MarkTrue(ConditionTypes.ArtifactOutdated, ConditionReasons.NewChart, message);
            }

            await SourceControllerOptions.BuildingAsync(run, $"building artifact: {message}", cancellationToken);
            StoredArtifact stored;
            try
            {
                using var content = new MemoryStream(package, writable: false);
                stored = await _store.StoreAsync(Kind, run.Key.Namespace, run.Key.Name, content, ".tgz", cancellationToken);
            }
            catch (IOException e)
            {
                throw new ReconcileFailure(ConditionReasons.ArchiveOperationFailed,
                    $"unable to copy Helm chart to storage: {e.Message}", ConditionTypes.StorageOperationFailed);
            }

            await _publisher.RecordAsync(run, stored, build.Version, null, _options.ArtifactsToKeep, cancellationToken);
        }

        status["observedChartName"] = build.Name;
        status["observedValuesFiles"] = build.ValuesFiles.Count > 0 ? new JsonArray([.. build.ValuesFiles.Select(f => (JsonNode?)f)]) : null;
        foreach (var type in new[] { ConditionTypes.FetchFailed, ConditionTypes.BuildFailed, ConditionTypes.StorageOperationFailed, ConditionTypes.ArtifactOutdated })
        {
            run.Conditions.Remove(type);
        }

        run.Conditions.MarkTrue(ConditionTypes.ArtifactInStorage, build.Reason, build.Summary);
    }

    /// <summary>The stored chart a build may reuse: none when the spec changed since (Flux's Force) or it left storage.</summary>
    private StoredChart? StoredChart(HelmChartRun run)
    {
        var status = run.Status;
        if (status["observedGeneration"]?.GetValue<long>() != run.Object.Generation()
            || status["artifact"]?["revision"]?.GetValue<string>() is not { } version
            || status["artifact"]?["path"]?.GetValue<string>() is not { } path || !_store.Exists(path)
            || status["observedChartName"]?.GetValue<string>() is not { } name)
        {
            return null;
        }

        var files = (status["observedValuesFiles"] as JsonArray)?.Select(f => f?.GetValue<string>() ?? "").ToList();
        return new StoredChart(name, version, files);
    }

    /// <summary>
    /// <c>reconcileStrategy: Revision</c>: the source revision as build metadata — for Git the commit hash, for a
    /// Bucket (or ExternalArtifact) the digest, cut to 12 characters to fit label values, as Flux does.
    /// </summary>
    private static string? RevisionMetadata(HelmChartSpec spec, string kind, string revision)
    {
        if (spec.ReconcileStrategy != "Revision")
        {
            return null;
        }

        var at = revision.LastIndexOf(':');
        var hash = at >= 0 ? revision[(at + 1)..] : revision;
        return hash[..Math.Min(12, hash.Length)];
    }

    private static bool IsStoredHere(string kind) => kind is not ("ExternalArtifact");

    private static JsonArtifact? ArtifactOf(JsonObject source) =>
        source["status"]?["artifact"] is JsonObject a && a["path"]?.GetValue<string>() is { } path && a["revision"]?.GetValue<string>() is { } revision
            ? new JsonArtifact(path, a["url"]?.GetValue<string>() ?? "", a["digest"]?.GetValue<string>(), revision)
            : null;
}

/// <summary>One HelmChart reconcile: its typed spec and what it built.</summary>
public sealed class HelmChartRun : ReconcileRun
{
    public HelmChartRun(JsonObject obj, TimeProvider clock)
        : base(obj, TimeSpan.FromMinutes(10), clock)
    {
        Spec = ApiObjects.Read<HelmChart>(obj).Spec ?? new HelmChartSpec();
    }

    public HelmChartSpec Spec { get; }

    public ChartBuild? Build { get; set; }
}
