using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Helm.Releases;

/// <summary>
/// Helm's storage encoding of a release: its JSON, gzipped (best compression), in standard base64. Decoding also
/// takes records that were not gzipped (Helm checks the gzip magic bytes).
/// </summary>
public static class ReleaseCodec
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly byte[] GzipMagic = [0x1f, 0x8b, 0x08];

    /// <summary>A Secret holds at most 1 MiB; a record inflating past this is hostile.</summary>
    private const int MaxDecodedBytes = 128 << 20;

    public static string Encode(Release release)
    {
        var json = Encoding.UTF8.GetBytes(ReleaseJson.Write(release).ToJsonString(Options));
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(json);
        }

        return Convert.ToBase64String(buffer.ToArray());
    }

    /// <exception cref="FormatException">The text is not an encoded release.</exception>
    public static Release Decode(string data)
    {
        var bytes = Convert.FromBase64String(data);
        if (bytes.Length > 3 && bytes.AsSpan(0, 3).SequenceEqual(GzipMagic))
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = gzip.Read(chunk)) > 0)
            {
                if (plain.Length + n > MaxDecodedBytes)
                {
                    throw new FormatException($"release record decompresses to more than {MaxDecodedBytes} bytes");
                }

                plain.Write(chunk, 0, n);
            }

            bytes = plain.ToArray();
        }

        try
        {
            return JsonNode.Parse(bytes) is JsonObject o ? ReleaseJson.Read(o) : throw new FormatException("release record is not a JSON object");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"release record is not valid: {e.Message}", e);
        }
    }
}
