using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Weir.Oci.Distribution;

namespace Weir.Testing;

/// <summary>Artifacts as any tool could build them, hostile ones included, rather than as Weir packs them.</summary>
public static class RawArtifacts
{
    /// <summary>A tar.gz written entry by entry.</summary>
    public static byte[] TarGz(Action<TarWriter> write)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gz, TarEntryFormat.Pax))
        {
            write(tar);
        }

        return output.ToArray();
    }

    /// <summary>Pushes to <paramref name="host"/> an artifact whose one layer is <paramref name="content"/>, whatever it holds.</summary>
    public static async Task PushLayerAsync(string host, string repository, string tag, byte[] content, string mediaType = MediaTypes.FluxContent)
    {
        using var client = new RegistryClient(host, new RegistryClientOptions { Insecure = true });
        var config = BlobSource.FromBytes("{}"u8.ToArray());
        var layer = BlobSource.FromBytes(content);
        await client.PushBlobAsync(repository, config);
        await client.PushBlobAsync(repository, layer);
        var manifest = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
             "config":{"mediaType":"{{MediaTypes.FluxConfig}}","digest":"{{config.Digest}}","size":{{config.Size}}},
             "layers":[{"mediaType":"{{mediaType}}","digest":"{{layer.Digest}}","size":{{layer.Size}}}]}
            """;
        await client.PutManifestAsync(repository, tag, Encoding.UTF8.GetBytes(manifest), MediaTypes.OciManifest);
    }
}
