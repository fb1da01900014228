using System.Text.Json.Nodes;
using Weir.Helm.Charts;
using Weir.Helm.Registry;
using Weir.Oci.Artifacts;
using Weir.Oci.Distribution;

namespace Weir.Helm.Tests.Registry;

/// <summary>Charts pushed to and pulled from a real registry (Debian's docker-registry) in Helm's OCI layout, read back with skopeo.</summary>
public sealed class ChartRegistryTests(DockerRegistryFixture registry) : IClassFixture<DockerRegistryFixture>
{
    private static readonly RegistryClientOptions Insecure = new() { Insecure = true, MaxRetries = 0 };

    [Fact]
    public async Task APushedChartHasHelmsMediaTypesTagAndAnnotations()
    {
        var archive = Package("1.2.3+build.1");
        var client = new ChartRegistryClient(Insecure);

        var pushed = await client.PushAsync(OciReference.Parse($"oci://{registry.Host}/charts"), archive,
            created: new DateTimeOffset(2026, 12, 5, 4, 0, 0, TimeSpan.Zero));

        Assert.Equal($"{registry.Host}/charts/demo", pushed.Reference.Name);
        Assert.Equal("1.2.3_build.1", pushed.Reference.Tag);
        var raw = JsonNode.Parse(await SkopeoAsync("inspect", "--raw", "--tls-verify=false", $"docker://{registry.Host}/charts/demo:1.2.3_build.1"))!;
        Assert.Equal(MediaTypes.HelmConfig, (string?)raw["config"]!["mediaType"]);
        Assert.Equal(MediaTypes.HelmChartContent, (string?)raw["layers"]![0]!["mediaType"]);
        Assert.Equal(OciDigest.Of(archive), (string?)raw["layers"]![0]!["digest"]);
        var annotations = raw["annotations"]!.AsObject();
        Assert.Equal("demo", (string?)annotations["org.opencontainers.image.title"]);
        Assert.Equal("1.2.3+build.1", (string?)annotations["org.opencontainers.image.version"]);
        Assert.Equal("A demo chart", (string?)annotations["org.opencontainers.image.description"]);
        Assert.Equal("Ada (ada@example.com), Bob", (string?)annotations["org.opencontainers.image.authors"]);
        Assert.Equal("2026-12-05T04:00:00Z", (string?)annotations["org.opencontainers.image.created"]);
        var config = JsonNode.Parse(await SkopeoAsync("inspect", "--raw", "--config", "--tls-verify=false", $"docker://{registry.Host}/charts/demo:1.2.3_build.1"))!;
        Assert.Equal("demo", (string?)config["name"]);
        Assert.Equal("1.2.3+build.1", (string?)config["version"]);
        Assert.Equal("v2", (string?)config["apiVersion"]);
    }

    [Fact]
    public async Task PullPicksTheHighestVersionInARangeAndReturnsTheArchiveUnchanged()
    {
        var client = new ChartRegistryClient(Insecure);
        var repository = OciReference.Parse($"oci://{registry.Host}/pull");
        var first = Package("0.1.0");
        var second = Package("0.2.0");
        await client.PushAsync(repository, first);
        await client.PushAsync(repository, second);
        await client.PushAsync(repository, Package("1.0.0"));

        var pulled = await client.PullAsync(OciReference.Parse($"oci://{registry.Host}/pull/demo"), "<1.0.0");

        Assert.Equal("0.2.0", pulled.Reference.Tag);
        Assert.Equal(second, pulled.Archive);
        var exact = await client.PullAsync(OciReference.Parse($"oci://{registry.Host}/pull/demo:0.1.0"));
        Assert.Equal(first, exact.Archive);
        var none = await Assert.ThrowsAsync<RegistryException>(() => client.PullAsync(OciReference.Parse($"oci://{registry.Host}/pull/demo"), "9.9.9"));
        Assert.Contains("'9.9.9'", none.Message);
    }

    [Fact]
    public async Task PullingAFluxArtifactAsAChartNamesTheConfigMediaType()
    {
        var dir = Directory.CreateTempSubdirectory("weir-chart-notachart-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "a.yaml"), "a: 1\n");
        await new ArtifactClient(Insecure).PushAsync(OciReference.Parse($"oci://{registry.Host}/flux/app:v1"), dir, new ArtifactMetadata(null, null));

        var e = await Assert.ThrowsAsync<RegistryException>(() => new ChartRegistryClient(Insecure).PullAsync(OciReference.Parse($"oci://{registry.Host}/flux/app:v1")));

        Assert.Contains("is not a Helm chart", e.Message);
        Assert.Contains(MediaTypes.FluxConfig, e.Message);
    }

    private static byte[] Package(string version)
    {
        var dir = Directory.CreateTempSubdirectory("weir-chart-push-").FullName;
        File.WriteAllText(Path.Combine(dir, "Chart.yaml"), $"""
            apiVersion: v2
            name: demo
            version: {version}
            description: A demo chart
            maintainers:
              - name: Ada
                email: ada@example.com
              - name: Bob
            """);
        File.WriteAllText(Path.Combine(dir, "values.yaml"), "replicas: 1\n");
        Directory.CreateDirectory(Path.Combine(dir, "templates"));
        File.WriteAllText(Path.Combine(dir, "templates", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n");
        using var output = new MemoryStream();
        ChartPackager.Write(new ChartLoader().Load(dir), output);
        return output.ToArray();
    }

    private static async Task<string> SkopeoAsync(params string[] args)
    {
        var (code, stdout, stderr) = await TestProcess.RunAsync("skopeo", ["--insecure-policy", .. args]);
        Assert.True(code == 0, $"skopeo {string.Join(' ', args)} failed: {stderr}");
        return stdout;
    }
}
