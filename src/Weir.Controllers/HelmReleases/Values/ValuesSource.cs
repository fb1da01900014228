using Weir.Core.Api.Helm;

namespace Weir.Controllers.HelmReleases.Values;

/// <summary>A Secret or ConfigMap a HelmRelease takes values from (to watch it, or to name it).</summary>
public readonly record struct ValuesSource(string Kind, string Namespace, string Name)
{
    public const string SecretKind = "Secret";
    public const string ConfigMapKind = "ConfigMap";

    /// <summary>The distinct objects of <c>spec.valuesFrom</c>, in order, all in the release's namespace.</summary>
    public static IReadOnlyList<ValuesSource> Of(HelmRelease release)
    {
        var ns = release.Metadata?.Namespace ?? "";
        return (release.Spec?.ValuesFrom ?? [])
            .Select(r => new ValuesSource(r.Kind ?? "", ns, r.Name ?? ""))
            .Distinct()
            .ToList();
    }

    public override string ToString() => $"{Kind}/{Namespace}/{Name}";
}
