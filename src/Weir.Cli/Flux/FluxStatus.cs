using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Core.Objects;

namespace Weir.Cli.Flux;

/// <summary>
/// One Flux object's status as <c>flux get</c> summarises it (revision, suspended, Ready status and message),
/// plus when it was last reconciled. Shared by <c>get</c>, <c>stats</c>, <c>trace</c> and <c>weir status</c>.
/// </summary>
public sealed partial record FluxStatus(
    FluxKind Kind, string Namespace, string Name, string Revision, bool Suspended, string Ready, string Message,
    DateTimeOffset? LastReconciled)
{
    public const string WaitingMessage = "waiting to be reconciled";

    public bool IsReady => Ready == "True";

    public static FluxStatus From(FluxKind kind, JsonObject obj)
    {
        var ready = FindCondition(obj, "Ready");
        return new FluxStatus(
            kind,
            obj.Namespace(),
            obj.Name(),
            kind.Revision(obj),
            obj["spec"]?["suspend"] is JsonValue s && s.TryGetValue<bool>(out var suspended) && suspended,
            ready is null ? "False" : FluxKind.Str(ready["status"]),
            ready is null ? WaitingMessage : FluxKind.Str(ready["message"]),
            LastReconciledAt(obj));
    }

    /// <summary>The condition of the given type (case-insensitive, as flux's status selector matches), or null.</summary>
    public static JsonObject? FindCondition(JsonObject obj, string type) =>
        (obj["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .LastOrDefault(c => string.Equals(FluxKind.Str(c["type"]), type, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// When the object was last reconciled: the newest of its Ready transition, its last handled reconcile
    /// request and (Kustomization) its history's last reconciliation.
    /// </summary>
    public static DateTimeOffset? LastReconciledAt(JsonObject obj)
    {
        var times = new List<DateTimeOffset>();
        AddTime(times, FindCondition(obj, "Ready")?["lastTransitionTime"]);
        AddTime(times, obj["status"]?["lastHandledReconcileAt"]);
        if (obj["status"]?["history"] is JsonArray { Count: > 0 } history)
        {
            AddTime(times, history[0]?["lastReconciled"]);
        }

        return times.Count == 0 ? null : times.Max();
    }

    private static void AddTime(List<DateTimeOffset> times, JsonNode? node)
    {
        if (FluxKind.Str(node) is { Length: > 0 } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var time))
        {
            times.Add(time);
        }
    }

    /// <summary>flux's status selector: <c>type=status</c> or <c>type!=status</c>; a missing condition never matches "=".</summary>
    public static Func<JsonObject, bool> ParseStatusSelector(string selector)
    {
        var negate = selector.Contains("!=", StringComparison.Ordinal);
        var parts = selector.Split(negate ? "!=" : "=", 2);
        if (parts.Length != 2)
        {
            throw new CliUsageException($"expected status selector in type=status or type!=status format, but found: {selector}");
        }

        return obj =>
        {
            var matches = FindCondition(obj, parts[0]) is { } c && string.Equals(FluxKind.Str(c["status"]), parts[1], StringComparison.OrdinalIgnoreCase);
            return negate ? !matches : matches;
        };
    }

    /// <summary>Shortens every hex run of 40–128 characters (SHA-1 … SHA-512) to its first 8, as flux does.</summary>
    public static string TruncateHex(string text) =>
        text.Length == 0 ? text : HexRun().Replace(text, m => m.Value[..8]);

    [GeneratedRegex(@"\b[a-f0-9]{40,128}\b")]
    private static partial Regex HexRun();
}
