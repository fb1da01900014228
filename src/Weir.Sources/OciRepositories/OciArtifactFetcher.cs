using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Oci.Distribution;
using Weir.Runtime.Artifacts;
using Weir.Runtime.Controllers;
using Weir.Sources.Storage;

namespace Weir.Sources.OciRepositories;

/// <summary>What was stored for a resolved revision, with the upstream annotations Flux copies into the status.</summary>
public sealed record FetchedArtifact(StoredArtifact Stored, string Revision, IReadOnlyDictionary<string, string> Annotations);

/// <summary>
/// Downloads the selected layer of a resolved artifact and stores it: <c>extract</c> (the default) unpacks it
/// safely and re-packs it deterministically with the ignore rules; <c>copy</c> stores the layer as it is.
/// Nothing is stored unless every step succeeded.
/// </summary>
public sealed class OciArtifactFetcher(ArtifactStore store, ExtractionLimits? limits = null)
{
    private readonly ExtractionLimits _limits = limits ?? new ExtractionLimits();

    public async Task<FetchedArtifact> FetchAsync(
        RegistryClient registry, ResolvedArtifact resolved, OCIRepositorySpec spec, string kind, string ns, string name,
        CancellationToken cancellationToken)
    {
        var url = $"oci://{resolved.Reference.Name}";
        ImageManifest manifest;
        try
        {
            var content = await registry.GetManifestAsync(resolved.Reference.Repository, resolved.Digest, cancellationToken);
            if (MediaTypes.IsIndex(content.MediaType))
            {
                throw new ReconcileFailure(ConditionReasons.OCIArtifactPullFailed,
                    $"failed to pull artifact from '{url}': '{resolved.Revision}' is an image index, not an artifact", ConditionTypes.FetchFailed);
            }

            manifest = content.AsManifest();
        }
        catch (RegistryException e)
        {
            throw new ReconcileFailure(ConditionReasons.OCIArtifactPullFailed,
                $"failed to pull artifact from '{url}': {e.Message}", ConditionTypes.FetchFailed);
        }

        var wanted = spec.LayerSelector?.MediaType;
        var layer = (wanted is { Length: > 0 } ? manifest.Layers.FirstOrDefault(l => l.MediaType == wanted) : manifest.Layers.FirstOrDefault())
            ?? throw new ReconcileFailure(ConditionReasons.OCIArtifactLayerOperationFailed, wanted is { Length: > 0 }
                ? $"failed to find layer with media type '{wanted}' in artifact"
                : $"failed to pull artifact from '{url}': the artifact has no layers", ConditionTypes.FetchFailed);

        var work = Directory.CreateTempSubdirectory("weir-oci-");
        try
        {
            var blobPath = Path.Combine(work.FullName, "layer");
            try
            {
                await using var blob = new FileStream(blobPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await registry.GetBlobAsync(resolved.Reference.Repository, layer, blob, ct: cancellationToken);
            }
            catch (RegistryException e)
            {
                throw new ReconcileFailure(ConditionReasons.OCIArtifactPullFailed,
                    $"failed to pull artifact from '{url}': {e.Message}", ConditionTypes.FetchFailed);
            }

            StoredArtifact stored;
            if (spec.LayerSelector?.Operation == "copy")
            {
                await using var blob = File.OpenRead(blobPath);
                stored = await store.StoreAsync(kind, ns, name, blob, cancellationToken);
            }
            else
            {
                var contentDir = Path.Combine(work.FullName, "content");
                try
                {
                    await using var blob = File.OpenRead(blobPath);
                    await SafeExtractor.ExtractAsync(blob, contentDir, _limits, cancellationToken);
                }
                catch (Exception e) when (e is ArchiveException or InvalidDataException or IOException)
                {
                    throw new ReconcileFailure(ConditionReasons.OCIArtifactLayerOperationFailed,
                        $"failed to extract layer contents from artifact: {e.Message}", ConditionTypes.FetchFailed);
                }

                var archive = Path.Combine(work.FullName, "artifact.tar.gz");
                await using (var output = File.Create(archive))
                {
                    await ArtifactArchiver.CreateAsync(contentDir, output, IgnoreRules.ForSpec(spec.Ignore), cancellationToken);
                }

                await using var packed = File.OpenRead(archive);
                stored = await store.StoreAsync(kind, ns, name, packed, cancellationToken);
            }

            return new FetchedArtifact(stored, resolved.Revision, manifest.Annotations ?? new Dictionary<string, string>());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
