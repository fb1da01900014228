using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weir.Oci.Distribution;

/// <summary>A content descriptor: what a manifest says about a blob or another manifest.</summary>
public sealed record Descriptor
{
    [JsonPropertyName("mediaType")] public required string MediaType { get; init; }
    [JsonPropertyName("digest")] public required string Digest { get; init; }
    [JsonPropertyName("size")] public required long Size { get; init; }
    [JsonPropertyName("artifactType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ArtifactType { get; init; }
    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    [JsonPropertyName("platform"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonElement? Platform { get; init; }
}

/// <summary>An OCI image manifest or Docker schema 2 manifest (same shape).</summary>
public sealed record ImageManifest
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 2;
    [JsonPropertyName("mediaType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? MediaType { get; init; }
    [JsonPropertyName("artifactType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ArtifactType { get; init; }
    [JsonPropertyName("config")] public required Descriptor Config { get; init; }
    [JsonPropertyName("layers")] public IReadOnlyList<Descriptor> Layers { get; init; } = [];
    [JsonPropertyName("subject"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Descriptor? Subject { get; init; }
    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}

/// <summary>An OCI image index or Docker manifest list.</summary>
public sealed record ImageIndex
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 2;
    [JsonPropertyName("mediaType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? MediaType { get; init; }
    [JsonPropertyName("manifests")] public IReadOnlyList<Descriptor> Manifests { get; init; } = [];
    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}

/// <summary>A fetched manifest: raw bytes (what the digest covers), media type and digest.</summary>
public sealed record ManifestContent(byte[] Bytes, string MediaType, string Digest)
{
    /// <summary>The body as an image manifest.</summary>
    public ImageManifest AsManifest() =>
        JsonSerializer.Deserialize<ImageManifest>(Bytes) ?? throw new InvalidDataException("empty manifest");

    /// <summary>The body as an index.</summary>
    public ImageIndex AsIndex() =>
        JsonSerializer.Deserialize<ImageIndex>(Bytes) ?? throw new InvalidDataException("empty index");

    /// <summary>The media type from the body when the registry sent none.</summary>
    public static string SniffMediaType(byte[] bytes)
    {
        using var doc = JsonDocument.Parse(bytes);
        if (doc.RootElement.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String)
        {
            return mt.GetString()!;
        }
        return doc.RootElement.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
    }
}
