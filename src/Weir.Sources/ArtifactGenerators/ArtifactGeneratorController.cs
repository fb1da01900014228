using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.SourceExtensions;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Sources.ArtifactGenerators;

/// <summary>
/// Registers the ArtifactGenerator controller with source-watcher's watches: a generator is requeued when a source it
/// reads (index by <c>Kind/namespace/name</c>) gets an artifact or a new revision of it.
/// </summary>
public static class ArtifactGeneratorController
{
    public const string SourceIndex = "sources";

    /// <summary>Adds the controller; <paramref name="watchedSources"/> are the source kinds whose informers the manager has.</summary>
    public static Informer Register(ControllerManager manager, ArtifactGeneratorReconciler reconciler, int workers, IEnumerable<KubeResource> watchedSources)
    {
        var informer = manager.Add(new ControllerRegistration(KubeResource.ArtifactGenerator, reconciler, workers));
        informer.Cache.AddIndex(SourceIndex, SourceKeys);
        foreach (var source in watchedSources.ToList())
        {
            manager.InformerFor(source).OnChange(change =>
            {
                var revision = Revision(change.New);
                if (revision is null || revision == Revision(change.Old))
                {
                    return;
                }

                foreach (var generator in informer.Cache.ByIndex(SourceIndex, $"{source.Kind}/{change.Key}"))
                {
                    manager.Enqueue(KubeResource.ArtifactGenerator, generator);
                }
            });
        }

        return informer;
    }

    private static IEnumerable<string> SourceKeys(JsonObject generator) =>
        (ApiObjects.Read<ArtifactGenerator>(generator).Spec?.Sources ?? []).Select(s =>
            $"{s.Kind}/{(s.Namespace is { Length: > 0 } ns ? ns : generator.Namespace())}/{s.Name}");

    private static string? Revision(JsonObject? source) => source?["status"]?["artifact"]?["revision"]?.GetValue<string>();
}
