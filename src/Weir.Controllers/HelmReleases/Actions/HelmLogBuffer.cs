using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Helm.Actions;

namespace Weir.Controllers.HelmReleases.Actions;

/// <summary>
/// The last lines Helm logged during one action, kept as helm-controller keeps them for its failure events: ten at
/// most, each <c>TIMESTAMP: message: {attributes}</c> (warnings and errors prefixed), a line repeated back to back
/// folded into its first and last time with <c>(N duplicate lines omitted)</c>.
/// </summary>
public sealed class HelmLogBuffer
{
    public const int Size = 10;

    private readonly Lock _lock = new();
    private readonly LinkedList<Line> _lines = new();
    private readonly TimeProvider _clock;

    public HelmLogBuffer(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    /// <summary>The sink given to a Helm action (<see cref="ReleaseActionOptions.Log"/>).</summary>
    public void Add(HelmLogRecord record)
    {
        var message = Format(record);
        var now = _clock.GetUtcNow();
        lock (_lock)
        {
            if (_lines.Last?.Value is { } last && last.Message == message)
            {
                last.Repeats++;
                last.LastSeen = now;
                return;
            }

            _lines.AddLast(new Line(now, message));
            if (_lines.Count > Size)
            {
                _lines.RemoveFirst();
            }
        }
    }

    /// <summary>The kept lines, oldest first.</summary>
    public IReadOnlyCollection<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines.Select(l => l.ToString())];
            }
        }
    }

    /// <summary><c>message: {"key":value,…}</c> with the keys in order, as Go marshals a map; durations in nanoseconds as Go's.</summary>
    private static string Format(HelmLogRecord record)
    {
        var prefix = record.Level switch
        {
            HelmLogLevel.Error => "error: ",
            HelmLogLevel.Warn => "warning: ",
            _ => "",
        };
        var attributes = new JsonObject();
        foreach (var (key, value) in record.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            attributes[key] = value switch
            {
                TimeSpan d => JsonValue.Create(d.Ticks * 100),
                int i => JsonValue.Create(i),
                long l => JsonValue.Create(l),
                bool b => JsonValue.Create(b),
                _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
            };
        }

        return $"{prefix}{record.Message}: {attributes.ToJsonString(Compact)}";
    }

    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Go's RFC3339Nano in UTC: fractional seconds without trailing zeros.</summary>
    private static string Timestamp(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        var fraction = utc.ToString("fffffff", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }

    private sealed class Line(DateTimeOffset first, string message)
    {
        public DateTimeOffset First { get; } = first;

        public string Message { get; } = message;

        public int Repeats { get; set; }

        public DateTimeOffset LastSeen { get; set; } = first;

        public override string ToString()
        {
            var text = $"{Timestamp(First)}: {Message}";
            if (Repeats > 0)
            {
                text += $"\n{Timestamp(LastSeen)}: {Message}";
            }

            if (Repeats > 1)
            {
                text += $" ({Repeats - 1} duplicate {(Repeats - 1 > 1 ? "lines" : "line")} omitted)";
            }

            return text;
        }
    }
}
