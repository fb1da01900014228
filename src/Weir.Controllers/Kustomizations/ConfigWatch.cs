using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Controllers.Kustomizations;

/// <summary>
/// Flux's config watchers: Secrets and ConfigMaps labelled <c>reconcile.fluxcd.io/watch: Enabled</c> (or matching
/// another selector) are watched,
/// and when one is created, changed or deleted, the Kustomizations of its namespace that refer to it
/// (<c>postBuild.substituteFrom</c>, <c>kubeConfig</c>, <c>decryption.secretRef</c>) are reconciled at once rather
/// than at their next interval. Only labelled objects are listed, so unrelated Secrets never reach the controller.
/// </summary>
public sealed class ConfigWatch
{
    public const string Label = "reconcile.fluxcd.io/watch";
    public const string Selector = $"{Label}=Enabled";
    public const string SecretIndex = "secretRef";
    public const string ConfigMapIndex = "configMapRef";

    private readonly Informer[] _informers;

    /// <summary>
    /// Adds the reference indexes to <paramref name="kustomizations"/> (call before the manager runs);
    /// <paramref name="selector"/> picks the watched objects (Flux's <c>--watch-configs-label-selector</c>).
    /// </summary>
    public ConfigWatch(ResourceClient client, ControllerManager manager, Informer kustomizations, string? ns = null, string selector = Selector)
    {
        kustomizations.Cache.AddIndex(SecretIndex, k => References(k, "Secret"));
        kustomizations.Cache.AddIndex(ConfigMapIndex, k => References(k, "ConfigMap"));
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

                foreach (var dependent in kustomizations.Cache.ByIndex(index, change.Key.ToString()))
                {
                    manager.Enqueue(KubeResource.Kustomization, dependent);
                }
            });
            return informer;
        }
    }

    /// <summary>Runs the Secret and ConfigMap informers until <paramref name="cancellationToken"/> fires.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(_informers.Select(i => i.RunAsync(cancellationToken)));

    /// <summary><c>namespace/name</c> of the Secrets or ConfigMaps a Kustomization reads.</summary>
    public static IEnumerable<string> References(JsonObject kustomization, string kind)
    {
        var ns = kustomization.Namespace();
        var spec = kustomization["spec"];
        var kubeConfig = spec?["kubeConfig"]?[kind == "Secret" ? "secretRef" : "configMapRef"]?["name"]?.GetValue<string>();
        if (kubeConfig is { Length: > 0 })
        {
            yield return $"{ns}/{kubeConfig}";
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
}
