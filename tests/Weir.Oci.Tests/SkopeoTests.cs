using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Oci.Artifacts;
using Weir.Oci.Distribution;
using Weir.Runtime.Artifacts;

namespace Weir.Oci.Tests;

/// <summary>skopeo (containers/image) against our registry, and cross checks with our client.</summary>
public sealed class SkopeoTests(WeirRegistryFixture registry) : IClassFixture<WeirRegistryFixture>
{
    private static readonly RegistryClientOptions Insecure = new() { Insecure = true, MaxRetries = 0 };

    internal static async Task<string> SkopeoAsync(params string[] args)
    {
        var (code, stdout, stderr) = await TestProcess.RunAsync("skopeo", ["--insecure-policy", .. args]);
        Assert.True(code == 0, $"skopeo {string.Join(' ', args)} failed: {stderr}");
        return stdout;
    }

    /// <summary>A one-layer image in OCI layout, tagged <paramref name="tag"/>; returns its manifest digest and layer.</summary>
    internal static (string ManifestDigest, string LayerDigest) BuildLayout(string dir, string tag, string fileContent)
    {
        var blobs = Path.Combine(dir, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        string Put(byte[] data)
        {
            var digest = OciDigest.Of(data);
            File.WriteAllBytes(Path.Combine(blobs, OciDigest.Hex(digest)), data);
            return digest;
        }
        var tar = new MemoryStream();
        using (var w = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "hello.txt") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(fileContent)) });
        }
        var gz = new MemoryStream();
        using (var g = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            g.Write(tar.ToArray());
        }
        var layer = gz.ToArray();
        var layerDigest = Put(layer);
        var config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject(),
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(OciDigest.Of(tar.ToArray())) },
        }.ToJsonString());
        var configDigest = Put(config);
        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest, Size = config.Length },
            Layers = [new Descriptor { MediaType = MediaTypes.OciLayerTarGzip, Digest = layerDigest, Size = layer.Length }],
        }));
        var manifestDigest = Put(manifest);
        File.WriteAllText(Path.Combine(dir, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Combine(dir, "index.json"), new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = MediaTypes.OciManifest,
                ["digest"] = manifestDigest,
                ["size"] = manifest.Length,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag },
            }),
        }.ToJsonString());
        return (manifestDigest, layerDigest);
    }

    [Fact]
    public async Task SkopeoCopiesAnImageInAndOutAndInspectsAndListsTags()
    {
        var layout = TestEnv.TempDir();
        var (manifestDigest, layerDigest) = BuildLayout(layout, "v1", "hello from skopeo\n");
        var image = $"docker://{registry.Host}/skopeo/image";
        await SkopeoAsync("copy", "--dest-tls-verify=false", $"oci:{layout}:v1", image + ":v1");
        await SkopeoAsync("copy", "--src-tls-verify=false", "--dest-tls-verify=false", image + ":v1", image + ":v2");

        var inspect = JsonNode.Parse(await SkopeoAsync("inspect", "--tls-verify=false", image + ":v1"))!;
        Assert.Equal(manifestDigest, (string)inspect["Digest"]!);
        Assert.Equal(layerDigest, (string)inspect["Layers"]![0]!);
        Assert.Equal("linux", (string)inspect["Os"]!);

        var tags = JsonNode.Parse(await SkopeoAsync("list-tags", "--tls-verify=false", image))!["Tags"]!.AsArray().Select(t => (string)t!);
        Assert.Equal(["v1", "v2"], tags.Order(StringComparer.Ordinal));

        var output = TestEnv.TempDir();
        await SkopeoAsync("copy", "--src-tls-verify=false", image + ":v2", $"oci:{output}:out");
        Assert.Equal(File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", OciDigest.Hex(layerDigest))),
            File.ReadAllBytes(Path.Combine(output, "blobs", "sha256", OciDigest.Hex(layerDigest))));
        Assert.True(File.Exists(Path.Combine(output, "blobs", "sha256", OciDigest.Hex(manifestDigest))));
    }

    [Fact]
    public async Task ImageCopiedInBySkopeoIsPulledByOurClient()
    {
        var layout = TestEnv.TempDir();
        var (manifestDigest, _) = BuildLayout(layout, "v1", "reverse direction\n");
        await SkopeoAsync("copy", "--dest-tls-verify=false", $"oci:{layout}:v1", $"docker://{registry.Host}/skopeo/reverse:v1");
        var output = TestEnv.TempDir();
        var pulled = await new ArtifactClient(Insecure).PullAsync(new OciReference(registry.Host, "skopeo/reverse", "v1"), output);
        Assert.Equal($"v1@{manifestDigest}", pulled.Revision);
        Assert.Equal("reverse direction\n", File.ReadAllText(Path.Combine(output, "hello.txt")));
    }

    [Fact]
    public async Task ArtifactPushedByOurClientIsReadBySkopeo()
    {
        var pushed = await new ArtifactClient(Insecure).PushAsync(new OciReference(registry.Host, "skopeo/artifact", "v3"),
            TestEnv.SampleDir("cross"), new ArtifactMetadata("https://example.com/repo", "v3@sha1:abc"));
        var raw = await SkopeoAsync("inspect", "--raw", "--tls-verify=false", $"docker://{registry.Host}/skopeo/artifact:v3");
        Assert.Equal(pushed.Digest, OciDigest.Of(Encoding.UTF8.GetBytes(raw)));
        var manifest = JsonSerializer.Deserialize<ImageManifest>(raw)!;
        Assert.Equal("v3@sha1:abc", manifest.Annotations![ArtifactClient.RevisionAnnotation]);

        var output = TestEnv.TempDir();
        await SkopeoAsync("copy", "--src-tls-verify=false", $"docker://{registry.Host}/skopeo/artifact:v3", $"oci:{output}:v3");
        var layer = Path.Combine(output, "blobs", "sha256", OciDigest.Hex(manifest.Layers[0].Digest));
        var extracted = TestEnv.TempDir();
        await using (var s = File.OpenRead(layer))
        {
            await SafeExtractor.ExtractAsync(s, extracted);
        }
        Assert.Contains("marker: cross", File.ReadAllText(Path.Combine(extracted, "deploy", "base", "deployment.yaml")));
    }
}
