using System.Text.Json.Nodes;
using Weir.Core.Api.Crds;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Controllers.Kustomizations;

/// <summary>
/// Registers the Kustomization controller with a <see cref="ControllerManager"/>, with the two watches Flux has:
/// a Kustomization is requeued when the artifact of its source changes (index by source), and — so a chain of
/// <c>dependsOn</c> settles without waiting for the requeue period — when a dependency becomes ready or applies a new
/// revision (index by dependency). An artifact changes with a new revision, or with a new URL for the same revision
/// (the artifact server restarted on another address): either is followed at once. Changes of labelled Secrets and
/// ConfigMaps a Kustomization reads are watched by a <see cref="ConfigWatch"/> built on the informer returned here.
/// </summary>
public static class KustomizationController
{
    public const string SourceIndex = "sourceRef";
    public const string DependencyIndex = "dependsOn";

    /// <summary>Adds the controller; the sources of every source kind whose controller <paramref name="manager"/> already runs are watched.</summary>
    public static Informer Register(ControllerManager manager, KustomizationReconciler reconciler, int workers, IEnumerable<KubeResource>? watchedSources = null)
    {
        var informer = manager.Add(new ControllerRegistration(KubeResource.Kustomization, reconciler, workers));
        informer.Cache.AddIndex(SourceIndex, k => [SourceKey(k)]);
        informer.Cache.AddIndex(DependencyIndex, Dependencies);
        informer.OnChange(change =>
        {
            if (change.Old is not null && change.New is not null && ReadinessChanged(change.Old, change.New))
            {
                foreach (var dependent in informer.Cache.ByIndex(DependencyIndex, change.Key.ToString()))
                {
                    manager.Enqueue(KubeResource.Kustomization, dependent);
                }
            }
        });

        var sources = watchedSources ?? KindRegistry.Served.Where(k => k.Role == KindRole.Source).Select(k => k.Resource).Where(manager.Runs);
        foreach (var source in sources)
        {
            manager.InformerFor(source).OnChange(change =>
            {
                if (change.New is null || Revision(change.New) is null)
                {
                    return;
                }

                var newRevision = Revision(change.Old) != Revision(change.New);
                if (newRevision || ArtifactUrl(change.Old) != ArtifactUrl(change.New))
                {
                    var key = $"{source.Kind}/{change.Key}";
                    foreach (var dependent in informer.Cache.ByIndex(SourceIndex, key))
                    {
                        if (newRevision)
                        {
                            reconciler.SourceChanged(dependent, key);
                        }

                        manager.Enqueue(KubeResource.Kustomization, dependent);
                    }
                }
            });
        }

        return informer;
    }

    public static string SourceKey(JsonObject kustomization)
    {
        var source = kustomization["spec"]?["sourceRef"];
        var ns = source?["namespace"]?.GetValue<string>() is { Length: > 0 } n ? n : kustomization.Namespace();
        return $"{source?["kind"]?.GetValue<string>()}/{ns}/{source?["name"]?.GetValue<string>()}";
    }

    private static IEnumerable<string> Dependencies(JsonObject kustomization) =>
        (kustomization["spec"]?["dependsOn"] as JsonArray ?? []).OfType<JsonObject>().Select(d =>
            $"{(d["namespace"]?.GetValue<string>() is { Length: > 0 } ns ? ns : kustomization.Namespace())}/{d["name"]?.GetValue<string>()}");

    private static string? Revision(JsonObject? source) => source?["status"]?["artifact"]?["revision"]?.GetValue<string>();

    private static string? ArtifactUrl(JsonObject? source) => source?["status"]?["artifact"]?["url"]?.GetValue<string>();

    private static bool ReadinessChanged(JsonObject old, JsonObject current) =>
        ReadyStatus(old) != ReadyStatus(current)
        || old["status"]?["lastAppliedRevision"]?.GetValue<string>() != current["status"]?["lastAppliedRevision"]?.GetValue<string>();

    private static string? ReadyStatus(JsonObject obj) =>
        (obj["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.GetValue<string>() == "Ready")?["status"]?.GetValue<string>();
}
