using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weir.Core.Time;

/// <summary>
/// Kubernetes <c>metav1.Time</c>: RFC 3339 in UTC with second precision (<c>2026-06-08T14:30:00Z</c>).
/// </summary>
public static class KubeTime
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Formats <c>metav1.MicroTime</c> (six fractional digits), used by Events and Leases.</summary>
    public static string FormatMicro(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Truncates to whole seconds, as the API server stores <c>metav1.Time</c>.</summary>
    public static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}

/// <summary>System.Text.Json converter writing <see cref="DateTimeOffset"/> as <c>metav1.Time</c>.</summary>
public sealed class KubeTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        KubeTime.Parse(reader.GetString() ?? throw new JsonException("expected a timestamp string"));

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(KubeTime.Format(value));
}
