using System.Globalization;
using Weir.Core.Versioning;
using Weir.Oci.Distribution;
using Weir.Oci.Versioning;
using Weir.Runtime.Artifacts;

namespace Weir.Oci.Artifacts;

/// <summary>
/// Pushes, tags, lists and pulls Flux OCI artifacts: a manifest with the Flux config media
/// type, one tar.gz content layer and the <c>org.opencontainers.image.*</c> annotations.
/// </summary>
public sealed class ArtifactClient(RegistryClientOptions options)
{
    public const string SourceAnnotation = "org.opencontainers.image.source";
    public const string RevisionAnnotation = "org.opencontainers.image.revision";
    public const string CreatedAnnotation = "org.opencontainers.image.created";

    /// <summary>Packs <paramref name="path"/> and pushes it as <paramref name="target"/>'s tag.</summary>
    public async Task<ArtifactPushResult> PushAsync(OciReference target, string path, ArtifactMetadata metadata, IgnoreRules? rules = null,
        IProgress<TransferProgress>? progress = null, CancellationToken ct = default)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"invalid path '{path}': no such file or directory");
        }
        var tag = target.Tag ?? throw new FormatException($"'{target}' has no tag to push to");
        var archive = Path.GetTempFileName();
        try
        {
            await using (var output = new FileStream(archive, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await ArtifactArchiver.CreateAsync(path, output, rules, ct);
            }
            var layer = await BlobSource.FromFileAsync(archive, ct);
            var config = BlobSource.FromBytes("{}"u8.ToArray());
            using var client = new RegistryClient(target.Host, options);
            await client.PushBlobAsync(target.Repository, config, ct: ct);
            await client.PushBlobAsync(target.Repository, layer,
                progress: progress is null ? null : new InlineProgress<long>(n => progress.Report(new TransferProgress(n, layer.Size))), ct: ct);
            var manifest = BuildManifest(config, layer, metadata);
            var digest = await client.PutManifestAsync(target.Repository, tag, manifest, MediaTypes.OciManifest, ct);
            return new ArtifactPushResult(target.WithTag(tag), digest, layer.Size);
        }
        finally
        {
            File.Delete(archive);
        }
    }

    /// <summary>Adds <paramref name="newTag"/> to the manifest <paramref name="source"/> points at; returns its digest.</summary>
    public async Task<string> TagAsync(OciReference source, string newTag, CancellationToken ct = default)
    {
        if (!OciReference.IsValidTag(newTag))
        {
            throw new FormatException($"invalid tag '{newTag}'");
        }
        using var client = new RegistryClient(source.Host, options);
        var manifest = await client.GetManifestAsync(source.Repository, source.Reference, ct);
        return await client.PutManifestAsync(source.Repository, newTag, manifest.Bytes, manifest.MediaType, ct);
    }

    /// <summary>Every tag of the repository with its digest and Flux annotations, optionally filtered.</summary>
    public async Task<IReadOnlyList<ArtifactInfo>> ListAsync(OciReference repository, string? semver = null, string? regex = null, CancellationToken ct = default)
    {
        using var client = new RegistryClient(repository.Host, options);
        IEnumerable<string> tags = await client.ListTagsAsync(repository.Repository, ct);
        if (regex is { Length: > 0 })
        {
            var r = new System.Text.RegularExpressions.Regex(regex, System.Text.RegularExpressions.RegexOptions.CultureInvariant);
            tags = tags.Where(t => r.IsMatch(t));
        }
        if (semver is { Length: > 0 })
        {
            var constraint = SemverConstraint.Parse(semver);
            tags = tags.Where(t => LooseVersion.ParseOrNull(t) is { } v && constraint.Check(v));
        }
        var result = new List<ArtifactInfo>();
        foreach (var tag in tags)
        {
            var manifest = await client.GetManifestAsync(repository.Repository, tag, ct);
            var annotations = MediaTypes.IsIndex(manifest.MediaType) ? null : manifest.AsManifest().Annotations;
            result.Add(new ArtifactInfo(repository.WithTag(tag), manifest.Digest,
                annotations?.GetValueOrDefault(SourceAnnotation), annotations?.GetValueOrDefault(RevisionAnnotation)));
        }
        return result;
    }

    /// <summary>The tag a semver range (and optional regex filter) selects, as Flux's OCIRepository resolves it.</summary>
    public async Task<string> SelectTagAsync(OciReference repository, string semver, string? filter = null, CancellationToken ct = default)
    {
        using var client = new RegistryClient(repository.Host, options);
        var tags = await client.ListTagsAsync(repository.Repository, ct);
        try
        {
            return SemverTagSelector.Select(tags, semver, filter);
        }
        catch (SemverSelectionException e)
        {
            throw new SemverSelectionException($"failed to determine the artifact tag for 'oci://{repository.Name}': {e.Message}");
        }
    }

    /// <summary>
    /// Pulls the artifact and extracts its first content layer (or the first layer of
    /// <paramref name="layerMediaType"/>) into <paramref name="outputDir"/>.
    /// </summary>
    public async Task<ArtifactPullResult> PullAsync(OciReference source, string outputDir, string? layerMediaType = null, ExtractionLimits? limits = null,
        IProgress<TransferProgress>? progress = null, CancellationToken ct = default)
    {
        using var client = new RegistryClient(source.Host, options);
        var content = await client.GetManifestAsync(source.Repository, source.Reference, ct);
        if (MediaTypes.IsIndex(content.MediaType))
        {
            throw new RegistryException(RegistryErrorKind.InvalidContent, $"failed to pull artifact from '{source}': it is an image index, not an artifact manifest");
        }
        var manifest = content.AsManifest();
        var layer = (layerMediaType is null ? manifest.Layers.FirstOrDefault() : manifest.Layers.FirstOrDefault(l => l.MediaType == layerMediaType))
            ?? throw new RegistryException(RegistryErrorKind.InvalidContent, layerMediaType is null
                ? $"failed to pull artifact from '{source}': the manifest has no layers"
                : $"failed to find layer with media type '{layerMediaType}' in artifact");
        var temp = Path.GetTempFileName();
        try
        {
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true))
            {
                await client.GetBlobAsync(source.Repository, layer, file,
                    progress is null ? null : new InlineProgress<long>(n => progress.Report(new TransferProgress(n, layer.Size))), ct);
                file.Position = 0;
                await SafeExtractor.ExtractAsync(file, outputDir, limits, ct);
            }
        }
        finally
        {
            File.Delete(temp);
        }
        var revision = source.Digest is null ? $"{source.Tag ?? "latest"}@{content.Digest}" : content.Digest;
        return new ArtifactPullResult(source, content.Digest, revision, manifest.Annotations ?? new Dictionary<string, string>());
    }

    private static byte[] BuildManifest(BlobSource config, BlobSource layer, ArtifactMetadata metadata)
    {
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [CreatedAnnotation] = (metadata.Created ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        if (metadata.Source is { Length: > 0 })
        {
            annotations[SourceAnnotation] = metadata.Source;
        }
        if (metadata.Revision is { Length: > 0 })
        {
            annotations[RevisionAnnotation] = metadata.Revision;
        }
        foreach (var (k, v) in metadata.Annotations ?? new Dictionary<string, string>())
        {
            annotations[k] = v;
        }
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.FluxConfig, Digest = config.Digest, Size = config.Size },
            Layers = [new Descriptor { MediaType = MediaTypes.FluxContent, Digest = layer.Digest, Size = layer.Size }],
            Annotations = annotations,
        };
        return GoJson.Serialize(manifest);
    }
}

/// <summary>What a pushed artifact records about its origin.</summary>
public sealed record ArtifactMetadata(string? Source, string? Revision, DateTimeOffset? Created = null, IReadOnlyDictionary<string, string>? Annotations = null);

/// <summary>Bytes moved so far of a transfer of <c>Total</c> bytes.</summary>
public readonly record struct TransferProgress(long Done, long Total);

public sealed record ArtifactPushResult(OciReference Reference, string Digest, long LayerSize);

public sealed record ArtifactInfo(OciReference Reference, string Digest, string? Source, string? Revision);

public sealed record ArtifactPullResult(OciReference Reference, string Digest, string Revision, IReadOnlyDictionary<string, string> Annotations);
