using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Core.Yaml;

namespace Weir.Helm.Charts;

/// <summary>
/// <c>helm package</c>'s archive: <c>NAME-VERSION.tgz</c> holding <c>NAME/Chart.yaml</c> (the metadata written
/// again, keys sorted), <c>Chart.lock</c>, <c>values.yaml</c> and <c>values.schema.json</c> as they were, templates,
/// other files, then each subchart under <c>NAME/charts/SUB/</c> — regular files only, mode 0644, times kept — in a
/// gzip stream carrying Helm's header (extra field and the comment <c>Helm</c>).
/// </summary>
public static class ChartPackager
{
    // Helm's gzip header extra field: subfield "rr", 40 bytes.
    private static readonly byte[] HeaderExtra = [.. "rr"u8, 0x28, 0x00, .. "aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo="u8];

    /// <summary>Writes the archive into <paramref name="outDir"/>; returns its path.</summary>
    /// <exception cref="ChartException">The chart is not valid.</exception>
    public static string Save(Chart chart, string outDir)
    {
        chart.Metadata.Validate();
        Directory.CreateDirectory(outDir);
        var path = Path.Combine(outDir, $"{chart.Name}-{chart.Metadata.Version}.tgz");
        using var file = File.Create(path);
        Write(chart, file);
        return path;
    }

    public static void Write(Chart chart, Stream output)
    {
        using var deflated = new MemoryStream();
        using (var gzip = new GZipStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            WriteChart(tar, chart, "");
        }

        // .NET writes a fixed 10-byte header; Helm's carries FEXTRA and FCOMMENT. The deflate data, CRC and size that
        // follow do not depend on the header, so the header is replaced.
        var bytes = deflated.GetBuffer().AsSpan(0, (int)deflated.Length);
        output.Write([0x1f, 0x8b, 0x08, 0x14, 0, 0, 0, 0, 0, 0xff]);
        output.Write([(byte)HeaderExtra.Length, (byte)(HeaderExtra.Length >> 8)]);
        output.Write(HeaderExtra);
        output.Write("Helm\0"u8);
        output.Write(bytes[10..]);
    }

    private static void WriteChart(TarWriter tar, Chart chart, string prefix)
    {
        var chartYaml = chart.Raw.FirstOrDefault(f => f.Name == "Chart.yaml");
        var metadata = chart.Metadata.ToJson();
        if (chart.Metadata.ApiVersion == ChartMetadata.ApiVersionV1)
        {
            metadata.Remove("dependencies");
        }

        var basePath = prefix + chart.Name + "/";
        Add(tar, basePath + "Chart.yaml", Encoding.UTF8.GetBytes(KubeYaml.Serialize(Sorted(metadata))), chartYaml?.ModTime);
        if (chart.Metadata.ApiVersion == ChartMetadata.ApiVersionV2 && chart.Lock is { } lockFile)
        {
            var generated = DateTimeOffset.TryParse(lockFile.Generated, out var g) ? g : (DateTimeOffset?)null;
            Add(tar, basePath + "Chart.lock", Encoding.UTF8.GetBytes(KubeYaml.Serialize(Sorted(lockFile.ToJson()))), generated);
        }

        foreach (var f in chart.Raw.Where(f => f.Name == "values.yaml"))
        {
            Add(tar, basePath + f.Name, f.Data, f.ModTime);
        }

        if (chart.Schema is { } schema)
        {
            try
            {
                using var _ = JsonDocument.Parse(schema);
            }
            catch (JsonException)
            {
                throw new ChartException("invalid JSON in values.schema.json");
            }

            Add(tar, basePath + "values.schema.json", schema, chart.Raw.FirstOrDefault(f => f.Name == "values.schema.json")?.ModTime);
        }

        foreach (var f in chart.Templates.Concat(chart.Files))
        {
            Add(tar, basePath + f.Name, f.Data, f.ModTime);
        }

        foreach (var dependency in chart.Dependencies)
        {
            WriteChart(tar, dependency, basePath + "charts/");
        }
    }

    private static void Add(TarWriter tar, string name, byte[] data, DateTimeOffset? modTime)
    {
        // Go's tar writer uses USTAR headers unless a name needs PAX.
        TarEntry entry = Encoding.UTF8.GetByteCount(name) <= 100
            ? new UstarTarEntry(TarEntryType.RegularFile, name)
            : new PaxTarEntry(TarEntryType.RegularFile, name);
        entry.Mode = (UnixFileMode)0b110_100_100;
        entry.ModificationTime = modTime ?? DateTimeOffset.UtcNow;
        entry.DataStream = new MemoryStream(data);
        tar.WriteEntry(entry);
    }

    /// <summary>Keys in order at every level, as sigs.k8s.io/yaml writes a marshalled struct.</summary>
    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}
