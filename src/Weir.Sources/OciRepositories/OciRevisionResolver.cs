using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Oci.Distribution;
using Weir.Oci.Versioning;
using Weir.Runtime.Controllers;

namespace Weir.Sources.OciRepositories;

/// <summary>The artifact an OCIRepository points at now: its tag (if any), manifest digest and Flux revision.</summary>
public sealed record ResolvedArtifact(OciReference Reference, string? Tag, string Digest)
{
    /// <summary><c>v2.1.0@sha256:…</c> for a tag or semver ref, the bare digest for a digest pin.</summary>
    public string Revision => Tag is null ? Digest : $"{Tag}@{Digest}";
}

/// <summary>
/// Resolves <c>spec.ref</c> as Flux does: a digest pins everything; otherwise a semver range picks the highest
/// matching tag (after <c>semverFilter</c>); otherwise the tag, <c>latest</c> by default. The tag is then turned
/// into a manifest digest with a HEAD request, so an unchanged artifact is never downloaded again.
/// </summary>
public static class OciRevisionResolver
{
    public static async Task<ResolvedArtifact> ResolveAsync(
        RegistryClient registry, OciReference repository, OCIRepositoryRef? reference, CancellationToken cancellationToken)
    {
        var url = $"oci://{repository.Name}";
        if (reference?.Digest is { Length: > 0 } digest)
        {
            if (!OciDigest.IsValid(digest))
            {
                throw new ReconcileFailure(ConditionReasons.URLInvalid,
                    $"URL validation failed for '{url}': invalid digest '{digest}'", ConditionTypes.FetchFailed, stalled: true);
            }

            return new ResolvedArtifact(repository with { Digest = digest }, null, digest);
        }

        var tag = reference?.Tag is { Length: > 0 } t ? t : "latest";
        if (reference?.Semver is { Length: > 0 } semver)
        {
            try
            {
                var tags = await registry.ListTagsAsync(repository.Repository, cancellationToken);
                tag = SemverTagSelector.Select(tags, semver, reference.SemverFilter);
            }
            catch (Exception e) when (e is RegistryException or SemverSelectionException)
            {
                throw new ReconcileFailure(ConditionReasons.ReadOperationFailed,
                    $"failed to determine the artifact tag for '{url}': {e.Message}", ConditionTypes.FetchFailed);
            }
        }

        try
        {
            var descriptor = await registry.HeadManifestAsync(repository.Repository, tag, cancellationToken);
            return new ResolvedArtifact(repository.WithTag(tag), tag, descriptor.Digest);
        }
        catch (RegistryException e)
        {
            throw new ReconcileFailure(ConditionReasons.OCIArtifactPullFailed,
                $"failed to determine artifact digest: {e.Message}", ConditionTypes.FetchFailed);
        }
    }
}
