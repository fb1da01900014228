using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Weir.Core.Api;
using Weir.Core.Api.Helm;
using Weir.Core.Api.Meta;
using Weir.Helm.Rendering;

namespace Weir.Controllers.HelmReleases.PostRenderers;

/// <summary>
/// A HelmRelease's post-renderer chain as helm-controller builds it: each <c>spec.postRenderers[].kustomize</c> in
/// order, then <c>spec.commonMetadata</c>, then the origin labels (so they win over a common label of the same key).
/// Also the digests Flux records of the post-renderers and the common metadata.
/// </summary>
public sealed class ReleasePostRenderer(IReadOnlyList<IPostRenderer> renderers) : IPostRenderer
{
    public IReadOnlyList<IPostRenderer> Renderers => renderers;

    public static ReleasePostRenderer For(HelmRelease release)
    {
        var renderers = new List<IPostRenderer>();
        foreach (var entry in release.Spec?.PostRenderers ?? [])
        {
            if (entry.Kustomize is { } kustomize)
            {
                renderers.Add(new KustomizeRenderer(kustomize));
            }
        }

        if (release.Spec?.CommonMetadata is { } common)
        {
            renderers.Add(new MetadataRenderer(common.Labels ?? new Dictionary<string, string>(), common.Annotations ?? new Dictionary<string, string>()));
        }

        renderers.Add(MetadataRenderer.OriginLabels(release.Metadata?.Namespace ?? "", release.Metadata?.Name ?? ""));
        return new ReleasePostRenderer(renderers);
    }

    /// <summary>The <c>helm-controller</c> post-render strategy of a release: <c>spec.postRenderStrategy</c>, combined when empty.</summary>
    public static PostRenderStrategy Strategy(HelmRelease release) => release.Spec?.PostRenderStrategy switch
    {
        "separate" => PostRenderStrategy.Separate,
        "nohooks" => PostRenderStrategy.NoHooks,
        _ => PostRenderStrategy.Combined,
    };

    /// <summary>
    /// <c>status.observedPostRenderersDigest</c>: sha256 of the post-renderers' JSON plus a newline, as Go's encoder
    /// writes it (only HTML characters escaped). Weir's field order is its own, so compare it only with Weir's digests.
    /// </summary>
    public static string Digest(IReadOnlyList<PostRenderer>? postRenderers) =>
        Sha256(JsonSerializer.Serialize(postRenderers, GoLikeOptions));

    /// <summary><c>status.observedCommonMetadataDigest</c>: sha256 of the common metadata's JSON, as <see cref="Digest"/>.</summary>
    public static string CommonMetadataDigest(CommonMetadata? commonMetadata) =>
        Sha256(JsonSerializer.Serialize(commonMetadata, GoLikeOptions));

    public string Run(string manifests)
    {
        foreach (var renderer in renderers)
        {
            manifests = renderer.Run(manifests);
        }

        return manifests;
    }

    private static readonly JsonSerializerOptions GoLikeOptions = new(ApiJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string Sha256(string json)
    {
        // Go's encoder escapes <, > and & in strings; they occur nowhere else in this JSON.
        json = json.Replace("<", "\\u003c", StringComparison.Ordinal).Replace(">", "\\u003e", StringComparison.Ordinal).Replace("&", "\\u0026", StringComparison.Ordinal);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json + "\n")));
    }
}
