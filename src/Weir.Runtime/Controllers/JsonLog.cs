using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Runtime.Controllers;

/// <summary>
/// Controller logs as JSON lines with the keys Flux's controllers use and <c>flux logs</c> reads:
/// <c>ts</c>, <c>level</c>, <c>msg</c>, <c>controllerKind</c>, <c>name</c>, <c>namespace</c>, <c>error</c>.
/// Thread-safe; writes whole lines.
/// </summary>
public sealed class JsonLog(TextWriter output, string logger = "weir", TimeProvider? clock = null)
{
    public static readonly JsonLog Discard = new(TextWriter.Null);

    private readonly object _gate = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public void Info(string message, string? kind = null, ObjectKey? key = null, IReadOnlyDictionary<string, string>? fields = null) =>
        Write("info", message, kind, key, null, fields);

    public void Error(string message, Exception? error, string? kind = null, ObjectKey? key = null) =>
        Write("error", message, kind, key, error?.Message, null);

    /// <summary>An error nobody expected: logged with its stack trace (<c>stacktrace</c>, as Flux's zap logger names it).</summary>
    public void Unexpected(string message, Exception error, string? kind = null, ObjectKey? key = null) =>
        Write("error", message, kind, key, error.Message, new Dictionary<string, string> { ["stacktrace"] = error.ToString() });

    private void Write(string level, string message, string? kind, ObjectKey? key, string? error, IReadOnlyDictionary<string, string>? fields)
    {
        var line = new JsonObject
        {
            ["ts"] = _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["level"] = level,
            ["logger"] = logger,
            ["msg"] = message,
        };
        if (kind is not null)
        {
            line["controllerKind"] = kind.ToLowerInvariant();
        }

        if (key is { } k)
        {
            line["name"] = k.Name;
            line["namespace"] = k.Namespace;
        }

        if (error is not null)
        {
            line["error"] = error;
        }

        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            line[name] = value;
        }

        var text = line.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        lock (_gate)
        {
            output.WriteLine(text);
            output.Flush();
        }
    }
}
