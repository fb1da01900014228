using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Helm.Charts;

namespace Weir.Helm.Releases;

/// <summary>
/// A release as Helm's JSON (<c>pkg/release/v1</c>): fields in Helm's struct order, empty ones left out as Go's
/// <c>omitempty</c>/<c>omitzero</c> do, times as RFC 3339 with nanoseconds. Reading accepts what Helm 3 and 4 write,
/// including <c>""</c> for unset times.
/// </summary>
public static partial class ReleaseJson
{
    public static JsonObject Write(Release r)
    {
        var o = new JsonObject();
        ChartMetadata.AddString(o, "name", r.Name);
        o["info"] = WriteInfo(r.Info);
        if (r.Chart is not null)
        {
            o["chart"] = r.Chart.DeepClone();
        }

        if (r.Config.Count > 0)
        {
            o["config"] = r.Config.DeepClone();
        }

        ChartMetadata.AddString(o, "manifest", r.Manifest);
        if (r.Hooks.Count > 0)
        {
            o["hooks"] = new JsonArray(r.Hooks.Select(h => (JsonNode?)WriteHook(h)).ToArray());
        }

        if (r.Version != 0)
        {
            o["version"] = r.Version;
        }

        ChartMetadata.AddString(o, "namespace", r.Namespace);
        ChartMetadata.AddString(o, "apply_method", r.ApplyMethod);
        return o;
    }

    /// <exception cref="FormatException">The JSON is not a release record.</exception>
    public static Release Read(JsonObject o) => new()
    {
        Name = Str(o, "name"),
        Namespace = Str(o, "namespace"),
        Version = o["version"]?.GetValue<int>() ?? 0,
        Info = o["info"] is JsonObject info ? ReadInfo(info) : new(),
        Chart = o["chart"] is JsonObject chart ? (JsonObject)chart.DeepClone() : null,
        Config = o["config"] is JsonObject config ? (JsonObject)config.DeepClone() : [],
        Manifest = Str(o, "manifest"),
        Hooks = o["hooks"] is JsonArray hooks ? hooks.OfType<JsonObject>().Select(ReadHook).ToList() : [],
        ApplyMethod = Str(o, "apply_method"),
    };

    /// <summary>Go's <c>time.RFC3339Nano</c>: fraction without trailing zeros, <c>Z</c> for UTC.</summary>
    public static string FormatTime(DateTimeOffset t) =>
        t.Offset == TimeSpan.Zero
            ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTime(JsonNode? node)
    {
        if (node?.GetValue<string>() is not { Length: > 0 } text)
        {
            return null;
        }

        // Go writes up to nine fractional digits; .NET keeps seven.
        text = LongFraction().Replace(text, m => m.Groups[1].Value);
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    private static JsonObject WriteInfo(ReleaseInfo i)
    {
        var o = new JsonObject();
        AddTime(o, "first_deployed", i.FirstDeployed);
        AddTime(o, "last_deployed", i.LastDeployed);
        AddTime(o, "deleted", i.Deleted);
        ChartMetadata.AddString(o, "description", i.Description);
        ChartMetadata.AddString(o, "status", i.Status);
        if (i.RollbackRevision != 0)
        {
            o["rollback_revision"] = i.RollbackRevision;
        }

        ChartMetadata.AddString(o, "notes", i.Notes);
        if (i.Resources is { Count: > 0 })
        {
            o["resources"] = i.Resources.DeepClone();
        }

        return o;
    }

    private static ReleaseInfo ReadInfo(JsonObject o) => new()
    {
        FirstDeployed = ParseTime(o["first_deployed"]),
        LastDeployed = ParseTime(o["last_deployed"]),
        Deleted = ParseTime(o["deleted"]),
        Description = Str(o, "description"),
        Status = Str(o, "status"),
        RollbackRevision = o["rollback_revision"]?.GetValue<int>() ?? 0,
        Notes = Str(o, "notes"),
        Resources = o["resources"] is JsonObject res ? (JsonObject)res.DeepClone() : null,
    };

    private static JsonObject WriteHook(ReleaseHook h)
    {
        var o = new JsonObject();
        ChartMetadata.AddString(o, "name", h.Name);
        ChartMetadata.AddString(o, "kind", h.Kind);
        ChartMetadata.AddString(o, "path", h.Path);
        ChartMetadata.AddString(o, "manifest", h.Manifest);
        ChartMetadata.AddStrings(o, "events", h.Events);
        var run = new JsonObject();
        AddTime(run, "started_at", h.LastRun.StartedAt);
        AddTime(run, "completed_at", h.LastRun.CompletedAt);
        run["phase"] = h.LastRun.Phase;
        o["last_run"] = run;
        if (h.Weight != 0)
        {
            o["weight"] = h.Weight;
        }

        ChartMetadata.AddStrings(o, "delete_policies", h.DeletePolicies);
        ChartMetadata.AddStrings(o, "output_log_policies", h.OutputLogPolicies);
        return o;
    }

    private static ReleaseHook ReadHook(JsonObject o) => new()
    {
        Name = Str(o, "name"),
        Kind = Str(o, "kind"),
        Path = Str(o, "path"),
        Manifest = Str(o, "manifest"),
        Events = Strings(o, "events"),
        LastRun = o["last_run"] is JsonObject run
            ? new HookExecution { StartedAt = ParseTime(run["started_at"]), CompletedAt = ParseTime(run["completed_at"]), Phase = Str(run, "phase") }
            : new(),
        Weight = o["weight"]?.GetValue<int>() ?? 0,
        DeletePolicies = Strings(o, "delete_policies"),
        OutputLogPolicies = Strings(o, "output_log_policies"),
    };

    private static void AddTime(JsonObject o, string key, DateTimeOffset? t)
    {
        if (t is { } time && time != default)
        {
            o[key] = FormatTime(time);
        }
    }

    private static string Str(JsonObject o, string key) => o[key]?.GetValue<string>() ?? "";

    private static List<string> Strings(JsonObject o, string key) =>
        o[key] is JsonArray a ? a.Select(v => v?.GetValue<string>() ?? "").ToList() : [];

    [GeneratedRegex(@"(\.\d{7})\d+")]
    private static partial Regex LongFraction();
}
