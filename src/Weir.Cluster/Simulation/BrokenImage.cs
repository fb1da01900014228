using System.Text.Json.Nodes;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The simulated-failure convention: a container image whose tag ends in <c>-broken</c> (or is <c>broken</c>), e.g.
/// <c>ghcr.io/acme/app:v1.2.0-broken</c>, cannot be pulled, so pods using it never become ready.
/// </summary>
internal static class BrokenImage
{
    /// <summary>The first container (or init container) of a pod template with a broken image, if any.</summary>
    public static (string Container, string Image, string FieldPath)? In(JsonNode? podTemplate)
    {
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var c in (Json.At(podTemplate, "spec", list) as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var image = Json.Str(c["image"]);
                if (IsBroken(image))
                {
                    return (Json.Str(c["name"]), image, FieldPath(list, Json.Str(c["name"])));
                }
            }
        }
        return null;
    }

    /// <summary>How events name a container of a pod: <c>spec.containers{main}</c>.</summary>
    public static string FieldPath(string list, string container) => $"spec.{list}{{{container}}}";

    public static bool IsBroken(string image) => Tag(image) is { } tag && (tag == "broken" || tag.EndsWith("-broken", StringComparison.Ordinal));

    /// <summary>The tag of an image reference (<c>v1</c> of <c>ghcr.io/acme/app:v1@sha256:…</c>); null when it has none.</summary>
    public static string? Tag(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var reference = at >= 0 ? image[..at] : image;
        var colon = reference.LastIndexOf(':');
        return colon < 0 || colon < reference.LastIndexOf('/') ? null : reference[(colon + 1)..];
    }

    /// <summary>The error containerd gives the kubelet for an image that does not exist.</summary>
    public static string PullError(string image)
    {
        var fq = FullyQualified(image);
        return $"rpc error: code = NotFound desc = failed to pull and unpack image \"{fq}\": failed to resolve reference \"{fq}\": {fq}: not found";
    }

    /// <summary>The fully qualified reference containerd reports, e.g. <c>docker.io/library/nginx:broken</c>.</summary>
    public static string FullyQualified(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return "docker.io/library/" + image;
        }
        var first = image[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
            ? image
            : "docker.io/" + image;
    }
}
