using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Artifacts;
using Weir.Runtime.Kube;
using Weir.Sources.Tests.OciRepositories;
using Weir.Testing;

namespace Weir.Sources.Tests.ArtifactGenerators;

/// <summary>What the ArtifactGenerator tests share: OCIRepositories on the embedded registry, generators, and reading what they made.</summary>
public static class GeneratorFixture
{
    private static readonly HttpClient Http = new();

    /// <summary>Pushes <paramref name="files"/> as <c>repository:tag</c> and creates (or points) an OCIRepository at that tag.</summary>
    public static async Task<string> PublishAsync(SourceControllerHarness harness, WeirRegistryFixture registry, string name, string tag,
        IReadOnlyDictionary<string, string> files)
    {
        await TestArtifacts.PushAsync(registry.Host, name, tag, files);
        return await PointAsync(harness, registry, name, tag);
    }

    /// <summary>Pushes a raw layer (any tar.gz) as <c>repository:tag</c> and creates an OCIRepository for it.</summary>
    public static async Task<string> PublishRawAsync(SourceControllerHarness harness, WeirRegistryFixture registry, string name, string tag, byte[] layer)
    {
        await RawArtifacts.PushLayerAsync(registry.Host, name, tag, layer);
        return await PointAsync(harness, registry, name, tag);
    }

    /// <summary>A tar.gz of regular files (path → bytes).</summary>
    public static byte[] TarGz(IReadOnlyDictionary<string, byte[]> files) => RawArtifacts.TarGz(tar =>
    {
        foreach (var (path, content) in files)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(content) });
        }
    });

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Creates an ArtifactGenerator in flux-system from its spec in JSON.</summary>
    public static Task<JsonObject> CreateAsync(SourceControllerHarness harness, string name, string specJson) =>
        harness.Client.CreateAsync(KubeResource.ArtifactGenerator, new JsonObject
        {
            ["apiVersion"] = "source.extensions.fluxcd.io/v1beta1",
            ["kind"] = "ArtifactGenerator",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
            ["spec"] = JsonNode.Parse(specJson),
        });

    public static Task<JsonObject?> ExternalArtifactAsync(SourceControllerHarness harness, string name) =>
        harness.Client.GetAsync(KubeResource.ExternalArtifact, new ObjectKey("flux-system", name));

    /// <summary>Downloads an ExternalArtifact's tarball as a consumer would and returns its files (path → text).</summary>
    public static async Task<SortedDictionary<string, string>> FilesAsync(SourceControllerHarness harness, string name)
    {
        var artifact = (await ExternalArtifactAsync(harness, name))!["status"]!["artifact"]!;
        var dir = Directory.CreateTempSubdirectory("weir-ea-");
        try
        {
            await new ArtifactDownloader(Http).FetchAsync(artifact["url"]!.GetValue<string>(), artifact["digest"]!.GetValue<string>(), dir.FullName,
                CancellationToken.None);
            var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(dir.FullName, "*", SearchOption.AllDirectories))
            {
                files[Path.GetRelativePath(dir.FullName, file).Replace('\\', '/')] = await File.ReadAllTextAsync(file);
            }

            return files;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<string> PointAsync(SourceControllerHarness harness, WeirRegistryFixture registry, string name, string tag)
    {
        var existing = await harness.Client.GetAsync(KubeResource.OCIRepository, new ObjectKey("flux-system", name));
        if (existing is null)
        {
            await harness.CreateRepositoryAsync(name, $"oci://{registry.Host}/{name}", new JsonObject { ["tag"] = tag });
        }
        else
        {
            await harness.PatchSpecAsync(name, new JsonObject { ["ref"] = new JsonObject { ["tag"] = tag } });
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var source = await harness.GetAsync(name);
            if (source["status"]?["artifact"]?["revision"]?.GetValue<string>() is { } revision && revision.StartsWith(tag + "@", StringComparison.Ordinal))
            {
                return revision;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"OCIRepository {name} did not store {tag}");
    }
}
