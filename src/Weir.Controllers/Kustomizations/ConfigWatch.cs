using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Controllers.Kustomizations;

/// <summary>
/// Flux's config watchers: Secrets and ConfigMaps labelled <c>reconcile.fluxcd.io/watch: Enabled</c> (or matching
/// another selector) are watched, and when one is created, changed or deleted, the objects of its namespace that refer
/// to it are reconciled at once rather than at their next interval. One watch serves every kind that reads Secrets or
/// ConfigMaps (Kustomizations: <c>postBuild.substituteFrom</c>, <c>kubeConfig</c>, <c>decryption.secretRef</c>;
/// HelmReleases: <c>valuesFrom</c>, <c>kubeConfig</c>): each registers with <see cref="Serve"/>. Only labelled objects
/// are listed, so unrelated Secrets never reach the controller.
/// </summary>
public sealed class ConfigWatch
{
    public const string Label = "reconcile.fluxcd.io/watch";
    public const string Selector = $"{Label}=Enabled";
    public const string SecretIndex = "secretRef";
    public const string ConfigMapIndex = "configMapRef";

    private readonly Informer[] _informers;
    private readonly List<(KubeResource Kind, Informer Objects)> _served = [];

    /// <summary><paramref name="selector"/> picks the watched objects (Flux's <c>--watch-configs-label-selector</c>).</summary>
    public ConfigWatch(ResourceClient client, ControllerManager manager, string? ns = null, string selector = Selector)
    {
        _informers =
        [
            Watch(new Informer(client, KubeResource.Secret, ns, selector), SecretIndex),
            Watch(new Informer(client, KubeResource.ConfigMap, ns, selector), ConfigMapIndex),
        ];

        Informer Watch(Informer informer, string index)
        {
            informer.OnChange(change =>
            {
                if (change.Old is not null && change.New is not null && change.Old.ResourceVersion() == change.New.ResourceVersion())
                {
                    return;
                }

                foreach (var (kind, objects) in _served)
                {
                    foreach (var dependent in objects.Cache.ByIndex(index, change.Key.ToString()))
                    {
                        manager.Enqueue(kind, dependent);
                    }
                }
            });
            return informer;
        }
    }

    /// <summary>
    /// Reconciles objects of <paramref name="kind"/> (cached by <paramref name="objects"/>) when a Secret or ConfigMap
    /// that <paramref name="references"/> names (<c>namespace/name</c> per kind, <c>Secret</c> or <c>ConfigMap</c>)
    /// changes. Call before the manager runs.
    /// </summary>
    public ConfigWatch Serve(KubeResource kind, Informer objects, Func<JsonObject, string, IEnumerable<string>> references)
    {
        objects.Cache.AddIndex(SecretIndex, o => references(o, "Secret"));
        objects.Cache.AddIndex(ConfigMapIndex, o => references(o, "ConfigMap"));
        _served.Add((kind, objects));
        return this;
    }

    /// <summary>Runs the Secret and ConfigMap informers until <paramref name="cancellationToken"/> fires.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(_informers.Select(i => i.RunAsync(cancellationToken)));

    /// <summary><c>namespace/name</c> of the Secrets or ConfigMaps a Kustomization reads.</summary>
    public static IEnumerable<string> References(JsonObject kustomization, string kind)
    {
        var ns = kustomization.Namespace();
        var spec = kustomization["spec"];
        if (KubeConfigReference(kustomization, kind) is { } kubeConfig)
        {
            yield return kubeConfig;
        }

        if (kind == "Secret" && spec?["decryption"]?["secretRef"]?["name"]?.GetValue<string>() is { Length: > 0 } decryption)
        {
            yield return $"{ns}/{decryption}";
        }

        foreach (var reference in (spec?["postBuild"]?["substituteFrom"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (reference["kind"]?.GetValue<string>() == kind && reference["name"]?.GetValue<string>() is { Length: > 0 } name)
            {
                yield return $"{ns}/{name}";
            }
        }
    }

    /// <summary><c>namespace/name</c> of the Secret or ConfigMap of <c>spec.kubeConfig</c>, if it names one of <paramref name="kind"/>.</summary>
    public static string? KubeConfigReference(JsonObject obj, string kind) =>
        obj["spec"]?["kubeConfig"]?[kind == "Secret" ? "secretRef" : "configMapRef"]?["name"]?.GetValue<string>() is { Length: > 0 } name
            ? $"{obj.Namespace()}/{name}"
            : null;
}
