using System.Text.Json.Nodes;
using Weir.Core.Api.Crds;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Controllers;

/// <summary>
/// The two watches Flux's appliers (Kustomization, HelmRelease) have: an object is requeued when the artifact of its
/// source changes (index by source, <c>Kind/namespace/name</c>), and — so a chain of <c>dependsOn</c> settles without
/// waiting for the requeue period — when a dependency of the same kind becomes ready or, for Kustomizations, applies a
/// new revision (index by dependency). An artifact changes with a new revision, or with a new URL for the same revision
/// (the artifact server restarted on another address): either is followed at once.
/// </summary>
public static class ApplierWatches
{
    public const string SourceIndex = "sourceRef";
    public const string DependencyIndex = "dependsOn";

    /// <summary>
    /// Adds the controller for <paramref name="kind"/>; the sources of every source kind whose controller
    /// <paramref name="manager"/> already runs are watched. <paramref name="sourceKeys"/> names an object's sources;
    /// <paramref name="newRevision"/> (object, source key) is told before a requeue caused by a new revision.
    /// </summary>
    public static Informer Register(ControllerManager manager, KubeResource kind, IReconciler reconciler, int workers,
        Func<JsonObject, IEnumerable<string>> sourceKeys, IEnumerable<KubeResource>? watchedSources = null, Action<ObjectKey, string>? newRevision = null)
    {
        var informer = manager.Add(new ControllerRegistration(kind, reconciler, workers));
        informer.Cache.AddIndex(SourceIndex, sourceKeys);
        informer.Cache.AddIndex(DependencyIndex, Dependencies);
        informer.OnChange(change =>
        {
            if (change.Old is not null && change.New is not null && ReadinessChanged(change.Old, change.New))
            {
                foreach (var dependent in informer.Cache.ByIndex(DependencyIndex, change.Key.ToString()))
                {
                    manager.Enqueue(kind, dependent);
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

                var isNewRevision = Revision(change.Old) != Revision(change.New);
                if (isNewRevision || ArtifactUrl(change.Old) != ArtifactUrl(change.New))
                {
                    var key = $"{source.Kind}/{change.Key}";
                    foreach (var dependent in informer.Cache.ByIndex(SourceIndex, key))
                    {
                        if (isNewRevision)
                        {
                            newRevision?.Invoke(dependent, key);
                        }

                        manager.Enqueue(kind, dependent);
                    }
                }
            });
        }

        return informer;
    }

    /// <summary><c>Kind/namespace/name</c> of a reference (<c>{kind, name, namespace?}</c>) made by <paramref name="obj"/>.</summary>
    public static string Key(JsonObject obj, JsonNode? reference, string? kind = null)
    {
        var ns = reference?["namespace"]?.GetValue<string>() is { Length: > 0 } n ? n : obj.Namespace();
        return $"{kind ?? reference?["kind"]?.GetValue<string>()}/{ns}/{reference?["name"]?.GetValue<string>()}";
    }

    private static IEnumerable<string> Dependencies(JsonObject obj) =>
        (obj["spec"]?["dependsOn"] as JsonArray ?? []).OfType<JsonObject>().Select(d =>
            $"{(d["namespace"]?.GetValue<string>() is { Length: > 0 } ns ? ns : obj.Namespace())}/{d["name"]?.GetValue<string>()}");

    private static string? Revision(JsonObject? source) => source?["status"]?["artifact"]?["revision"]?.GetValue<string>();

    private static string? ArtifactUrl(JsonObject? source) => source?["status"]?["artifact"]?["url"]?.GetValue<string>();

    private static bool ReadinessChanged(JsonObject old, JsonObject current) =>
        ReadyStatus(old) != ReadyStatus(current)
        || old["status"]?["lastAppliedRevision"]?.GetValue<string>() != current["status"]?["lastAppliedRevision"]?.GetValue<string>();

    private static string? ReadyStatus(JsonObject obj) =>
        (obj["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.GetValue<string>() == "Ready")?["status"]?.GetValue<string>();
}
