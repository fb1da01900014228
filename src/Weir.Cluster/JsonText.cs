using System.Text.Encodings.Web;
using System.Text.Json;

namespace Weir.Cluster;

/// <summary>Serializer settings for everything the server writes: plain quotes and characters, as the Go API server writes them.</summary>
internal static class JsonText
{
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
