namespace Weir.Oci.Distribution;

/// <summary>Media types of OCI, Docker and Flux manifests, configs and layers.</summary>
public static class MediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayerTarGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string FluxConfig = "application/vnd.cncf.flux.config.v1+json";
    public const string FluxContent = "application/vnd.cncf.flux.content.v1.tar+gzip";
    public const string HelmConfig = "application/vnd.cncf.helm.config.v1+json";
    public const string HelmChartContent = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    public const string HelmProvenance = "application/vnd.cncf.helm.chart.provenance.v1.prov";

    /// <summary>Every manifest type a pull accepts, for the Accept header.</summary>
    public static readonly string[] Manifests = [OciManifest, OciIndex, DockerManifest, DockerManifestList];

    /// <summary>True for the index / manifest-list types.</summary>
    public static bool IsIndex(string mediaType) => mediaType is OciIndex or DockerManifestList;
}
