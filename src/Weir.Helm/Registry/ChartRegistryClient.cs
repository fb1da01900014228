using System.Globalization;
using System.Text;
using Weir.Helm.Charts;
using Weir.Oci.Artifacts;
using Weir.Oci.Distribution;
using Weir.Oci.Versioning;

namespace Weir.Helm.Registry;

/// <summary>
/// Pushes and pulls Helm charts stored in an OCI registry as Helm does (<c>helm push</c>, <c>helm pull oci://</c>):
/// a manifest whose config is the chart's metadata as JSON (<see cref="MediaTypes.HelmConfig"/>) and whose one layer
/// is the packaged chart (<see cref="MediaTypes.HelmChartContent"/>), at <c>REPOSITORY/NAME:VERSION</c> with
/// <c>+</c> in the version written as <c>_</c> (tags may not hold <c>+</c>).
/// </summary>
public sealed class ChartRegistryClient(RegistryClientOptions options)
{
    /// <summary>The tag Helm gives a chart version.</summary>
    public static string TagOf(string version) => version.Replace('+', '_');

    /// <summary>
    /// Pushes a packaged chart (<c>.tgz</c> bytes, pushed unchanged) under <paramref name="repository"/>, which names
    /// the repository only: the chart's name and version make the rest of the reference.
    /// </summary>
    /// <exception cref="ChartException">The archive is not a valid chart.</exception>
    public async Task<ArtifactPushResult> PushAsync(OciReference repository, byte[] archive, DateTimeOffset? created = null, CancellationToken ct = default)
    {
        if (repository.Tag is not null || repository.Digest is not null)
        {
            throw new FormatException($"'{repository}': give the repository only; the chart's name and version make the rest of the reference");
        }

        var metadata = new ChartLoader().LoadArchive(new MemoryStream(archive, writable: false)).Metadata;
        metadata.Validate();
        var target = OciReference.Parse($"oci://{repository.Name}/{metadata.Name}:{TagOf(metadata.Version)}");
        var config = BlobSource.FromBytes(GoJson.Serialize(metadata.ToJson()));
        var layer = BlobSource.FromBytes(archive);
        using var client = new RegistryClient(target.Host, options);
        await client.PushBlobAsync(target.Repository, config, ct: ct);
        await client.PushBlobAsync(target.Repository, layer, ct: ct);
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.HelmConfig, Digest = config.Digest, Size = config.Size },
            Layers = [new Descriptor { MediaType = MediaTypes.HelmChartContent, Digest = layer.Digest, Size = layer.Size }],
            Annotations = Annotations(metadata, created ?? DateTimeOffset.UtcNow),
        };
        var digest = await client.PutManifestAsync(target.Repository, target.Tag!, GoJson.Serialize(manifest), MediaTypes.OciManifest, ct);
        return new ArtifactPushResult(target, digest, layer.Size);
    }

    /// <summary>
    /// Pulls the chart at <paramref name="chart"/> (<c>oci://HOST/REPOSITORY/NAME</c> with a tag or digest, or without
    /// one and <paramref name="version"/> a version or semver range — the highest version when both are absent).
    /// </summary>
    public async Task<ChartPullResult> PullAsync(OciReference chart, string? version = null, CancellationToken ct = default)
    {
        using var client = new RegistryClient(chart.Host, options);
        var reference = chart;
        if (chart.Tag is null && chart.Digest is null)
        {
            var versions = (await client.ListTagsAsync(chart.Repository, ct)).Select(t => t.Replace('_', '+'));
            var range = version is { Length: > 0 } ? version : "*";
            try
            {
                reference = chart.WithTag(TagOf(SemverTagSelector.Select(versions, range)));
            }
            catch (SemverSelectionException e)
            {
                throw new RegistryException(RegistryErrorKind.NotFound, $"no version of 'oci://{chart.Name}' matches '{range}': {e.Message}");
            }
        }

        var content = await client.GetManifestAsync(reference.Repository, reference.Reference, ct);
        if (MediaTypes.IsIndex(content.MediaType))
        {
            throw new RegistryException(RegistryErrorKind.InvalidContent, $"'{reference}' is an image index, not a Helm chart");
        }

        var manifest = content.AsManifest();
        if (manifest.Config.MediaType != MediaTypes.HelmConfig)
        {
            throw new RegistryException(RegistryErrorKind.InvalidContent,
                $"'{reference}' is not a Helm chart: its config media type is '{manifest.Config.MediaType}', not '{MediaTypes.HelmConfig}'");
        }

        var layer = manifest.Layers.FirstOrDefault(l => l.MediaType == MediaTypes.HelmChartContent)
            ?? throw new RegistryException(RegistryErrorKind.InvalidContent, $"'{reference}' has no layer of media type '{MediaTypes.HelmChartContent}'");
        using var archive = new MemoryStream();
        await client.GetBlobAsync(reference.Repository, layer, archive, ct: ct);
        return new ChartPullResult(reference, content.Digest, archive.ToArray());
    }

    /// <summary>The manifest annotations Helm writes from a chart's metadata (OCI's <c>org.opencontainers.image.*</c> keys).</summary>
    public static SortedDictionary<string, string> Annotations(ChartMetadata metadata, DateTimeOffset created)
    {
        var a = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata.Annotations ?? [])
        {
            a[key] = value;
        }

        Add(a, "org.opencontainers.image.description", metadata.Description);
        Add(a, "org.opencontainers.image.title", metadata.Name);
        Add(a, "org.opencontainers.image.version", metadata.Version);
        Add(a, "org.opencontainers.image.url", metadata.Home);
        Add(a, ArtifactClient.CreatedAnnotation, created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Add(a, ArtifactClient.SourceAnnotation, metadata.Sources.FirstOrDefault() ?? "");
        var authors = new StringBuilder();
        foreach (var maintainer in metadata.Maintainers.OfType<ChartMaintainer>())
        {
            if (authors.Length > 0)
            {
                authors.Append(", ");
            }

            authors.Append(maintainer.Name);
            if (maintainer.Email.Length > 0)
            {
                authors.Append(" (").Append(maintainer.Email).Append(')');
            }
        }

        Add(a, "org.opencontainers.image.authors", authors.ToString());
        return a;
    }

    private static void Add(SortedDictionary<string, string> annotations, string key, string value)
    {
        if (value.Length > 0)
        {
            annotations[key] = value;
        }
    }
}

/// <summary>A pulled chart: the reference it resolved to, the manifest digest and the <c>.tgz</c>.</summary>
public sealed record ChartPullResult(OciReference Reference, string Digest, byte[] Archive);
