using System.Text.Json.Nodes;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Controllers.Kustomizations;

/// <summary>
/// Registers the Kustomization controller with a <see cref="ControllerManager"/>, with the watches every applier has
/// (<see cref="ApplierWatches"/>: its source's artifact, its dependencies); a new source revision also stops health
/// checks still running for the old one. Changes of labelled Secrets and ConfigMaps a Kustomization reads are watched
/// by a <see cref="ConfigWatch"/> served with the informer returned here.
/// </summary>
public static class KustomizationController
{
    /// <summary>Adds the controller; the sources of every source kind whose controller <paramref name="manager"/> already runs are watched.</summary>
    public static Informer Register(ControllerManager manager, KustomizationReconciler reconciler, int workers, IEnumerable<KubeResource>? watchedSources = null) =>
        ApplierWatches.Register(manager, KubeResource.Kustomization, reconciler, workers, k => [SourceKey(k)], watchedSources, reconciler.SourceChanged);

    public static string SourceKey(JsonObject kustomization) => ApplierWatches.Key(kustomization, kustomization["spec"]?["sourceRef"]);
}
