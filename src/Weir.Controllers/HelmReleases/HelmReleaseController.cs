using System.Text.Json.Nodes;
using Weir.Controllers.Kustomizations;
using Weir.Core.Api;
using Weir.Core.Api.Helm;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Controllers.HelmReleases;

/// <summary>
/// Registers the HelmRelease controller with the applier watches (<see cref="ApplierWatches"/>): a HelmRelease is
/// requeued when the artifact of its <c>chartRef</c> — or of the HelmChart made from its <c>chart</c> template —
/// changes, and when a HelmRelease it depends on turns ready. <see cref="References"/> names the Secrets and
/// ConfigMaps it reads, for the <see cref="ConfigWatch"/>.
/// </summary>
public static class HelmReleaseController
{
    public static Informer Register(ControllerManager manager, HelmReleaseReconciler reconciler, int workers, IEnumerable<KubeResource>? watchedSources = null) =>
        ApplierWatches.Register(manager, KubeResource.HelmRelease, reconciler, workers, release => [SourceKey(release)], watchedSources);

    /// <summary>The chart source: <c>chartRef</c>, or the template's HelmChart (<c>HelmChart/SOURCE-NS/NS-NAME</c>).</summary>
    public static string SourceKey(JsonObject release)
    {
        if (release["spec"]?["chartRef"] is JsonObject chartRef)
        {
            return ApplierWatches.Key(release, chartRef);
        }

        var template = ApiObjects.Read<HelmRelease>(release).Spec?.Chart ?? new HelmChartTemplate();
        return $"HelmChart/{ChartTemplates.KeyFor(release.Key(), template)}";
    }

    /// <summary><c>namespace/name</c> of the Secrets or ConfigMaps a HelmRelease reads (<c>valuesFrom</c>, <c>kubeConfig</c>).</summary>
    public static IEnumerable<string> References(JsonObject release, string kind)
    {
        if (ConfigWatch.KubeConfigReference(release, kind) is { } kubeConfig)
        {
            yield return kubeConfig;
        }

        foreach (var reference in (release["spec"]?["valuesFrom"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (reference["kind"]?.GetValue<string>() == kind && reference["name"]?.GetValue<string>() is { Length: > 0 } name)
            {
                yield return $"{release.Namespace()}/{name}";
            }
        }
    }
}
