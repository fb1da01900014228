using System.Text.Json.Nodes;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Helm.Charts;
using Weir.Runtime.Artifacts;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Controllers.HelmReleases;

/// <summary>
/// Where a HelmRelease's chart comes from, and the chart itself: <c>chartRef</c> (an OCIRepository whose artifact is
/// the chart archive — its <c>layerSelector</c> picks Helm's chart layer with <c>operation: copy</c> —, a HelmChart or
/// an ExternalArtifact), or the HelmChart made from the <c>chart</c> template. The source must be ready with an
/// artifact (Flux's <c>SourceNotReady</c> wait otherwise); the archive is downloaded, verified against its digest and
/// loaded as Helm loads a packaged chart.
/// </summary>
public sealed class ChartSource(ResourceClient client, ChartTemplates templates, HttpClient http, TimeSpan requeueDependency)
{
    /// <summary>Finds the source (creating the template's HelmChart) and checks it is ready; returns it.</summary>
    public async Task<JsonObject> ResolveAsync(HelmReleaseRun run, CancellationToken cancellationToken)
    {
        var (kind, key) = await ReferenceAsync(run, cancellationToken);
        var resource = KindRegistry.Source(kind)?.Resource
            ?? throw new ReconcileFailure(ConditionReasons.ArtifactFailed, $"could not get Source object: unsupported source kind '{kind}'", stalled: true);
        JsonObject? source;
        try
        {
            source = await client.GetAsync(resource, key, cancellationToken);
        }
        catch (KubeApiException e)
        {
            throw new ReconcileFailure(ConditionReasons.ArtifactFailed, $"could not get Source object: {e.Message}", inner: e);
        }

        if (source is null)
        {
            throw new ReconcileFailure(ConditionReasons.ArtifactFailed,
                $"could not get Source object: {resource.Plural}.{resource.Group} \"{key.Name}\" not found");
        }

        if (NotReady(kind, source) is { } notReady)
        {
            throw new ReconcileWait(ReleaseMessages.SourceNotReady, notReady, requeueDependency);
        }

        return source;
    }

    /// <summary>Downloads and loads the chart of the source's artifact; sets the run's chart and OCI digest.</summary>
    public async Task LoadAsync(HelmReleaseRun run, JsonObject source, CancellationToken cancellationToken)
    {
        var artifact = source["status"]!["artifact"]!;
        var downloader = new ArtifactDownloader(http, timeout: run.Timeout);
        try
        {
            using var archive = await downloader.DownloadAsync(
                artifact["url"]?.GetValue<string>() ?? "", artifact["digest"]?.GetValue<string>() ?? "", cancellationToken);
            run.Chart = new ChartLoader().LoadArchive(archive, source.Name());
        }
        catch (ArtifactNotFoundException)
        {
            throw new ReconcileWait(ConditionReasons.ArtifactFailed,
                $"Source not ready: artifact not found. Retrying in {FluxDuration.Format(requeueDependency)}", requeueDependency);
        }
        catch (Exception e) when (e is InvalidOperationException or ChartException)
        {
            throw new ReconcileFailure(ConditionReasons.ArtifactFailed, $"Could not load chart: {e.Message}", inner: e);
        }

        run.OciDigest = source.Kind() == "OCIRepository" && artifact["revision"]?.GetValue<string>() is { } revision && revision.Contains('@')
            ? revision[(revision.IndexOf('@') + 1)..]
            : null;
    }

    /// <summary>The source's kind and key; for a <c>chart</c> template, the HelmChart after making sure it matches the template.</summary>
    private async Task<(string Kind, ObjectKey Key)> ReferenceAsync(HelmReleaseRun run, CancellationToken cancellationToken)
    {
        if (run.Spec.ChartRef is { } chartRef)
        {
            await templates.DeleteAsync(run, cancellationToken);
            return (chartRef.Kind ?? "", new ObjectKey(chartRef.Namespace is { Length: > 0 } ns ? ns : run.Key.Namespace, chartRef.Name ?? ""));
        }

        var template = run.Spec.Chart ?? throw new ReconcileFailure(ConditionReasons.ArtifactFailed, "either chart or chartRef must be set", stalled: true);
        var chart = await templates.EnsureAsync(run, template, cancellationToken);
        run.Status["helmChart"] = chart.Key().ToString();
        return (HelmChartKind, chart.Key());
    }

    private const string HelmChartKind = "HelmChart";

    /// <summary>Flux's readiness of a source: its generation observed, not stalled, with an artifact.</summary>
    private static string? NotReady(string kind, JsonObject source)
    {
        var prefix = $"{kind} '{source.Namespace()}/{source.Name()}' is not ready: ";
        var status = source["status"] as JsonObject;
        var conditions = ConditionJson.Read(source);
        if (kind == "ExternalArtifact")
        {
            return status?["artifact"] is JsonObject ? null : prefix + "does not have an artifact";
        }

        if (status?["observedGeneration"]?.GetValue<long>() != source.Generation())
        {
            return prefix + (conditions.IsFalse(ConditionTypes.Ready)
                ? conditions.Get(ConditionTypes.Ready)!.Message
                : "latest generation of object has not been reconciled");
        }

        if (conditions.IsTrue(ConditionTypes.Stalled))
        {
            return prefix + conditions.Get(ConditionTypes.Stalled)!.Message;
        }

        return status?["artifact"] is JsonObject ? null : prefix + "does not have an artifact";
    }
}
