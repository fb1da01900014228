using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Cli.Flux;

/// <summary>The source a Kustomization or HelmRelease is fed by, read from its spec.</summary>
public static class SourceReference
{
    /// <summary>
    /// Kustomization: <c>spec.sourceRef</c>; HelmRelease: <c>spec.chartRef</c>, else the HelmChart generated for
    /// <c>spec.chart</c> (named <c>&lt;namespace&gt;-&lt;name&gt;</c> in the source's namespace). Null when absent or of an unknown kind.
    /// </summary>
    public static (FluxKind Kind, ObjectKey Key)? Of(JsonObject obj)
    {
        var spec = obj["spec"];
        if (spec?["sourceRef"] is JsonObject sourceRef)
        {
            return Resolve(sourceRef, obj.Namespace());
        }

        if (spec?["chartRef"] is JsonObject chartRef)
        {
            return Resolve(chartRef, obj.Namespace());
        }

        if (spec?["chart"]?["spec"]?["sourceRef"] is JsonObject chartSource)
        {
            var ns = FluxKind.Str(chartSource["namespace"]) is { Length: > 0 } n ? n : obj.Namespace();
            return (FluxKind.HelmChart, new ObjectKey(ns, $"{obj.Namespace()}-{obj.Name()}"));
        }

        return null;
    }

    private static (FluxKind, ObjectKey)? Resolve(JsonObject reference, string defaultNamespace)
    {
        var kind = FluxKind.Find(FluxKind.Str(reference["kind"]));
        var ns = FluxKind.Str(reference["namespace"]) is { Length: > 0 } n ? n : defaultNamespace;
        return kind is null ? null : (kind, new ObjectKey(ns, FluxKind.Str(reference["name"])));
    }
}
