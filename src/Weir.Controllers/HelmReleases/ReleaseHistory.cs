using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Time;
using Weir.Helm.Releases;
using Weir.Templates.Values;

namespace Weir.Controllers.HelmReleases;

/// <summary>
/// A HelmRelease's <c>status.history</c>: snapshots of the Helm releases it made, newest first, each with the digest
/// of the stored record (so a record changed behind the controller's back is noticed), the chart, the config digest,
/// the times and, once tested, the test hooks' last runs. Flux keeps it up to the previous successful release.
/// </summary>
public sealed class ReleaseHistory(JsonArray? snapshots)
{
    private readonly List<JsonObject> _items = [.. (snapshots ?? []).OfType<JsonObject>().Select(s => (JsonObject)s.DeepClone())];

    public IReadOnlyList<JsonObject> Items => _items;

    public JsonObject? Latest => _items.FirstOrDefault();

    public JsonArray ToJson() => [.. _items.Select(s => (JsonNode)s.DeepClone())];

    public void Clear() => _items.Clear();

    /// <summary>
    /// Records a release as stored: the snapshot of the same name, namespace and version is refreshed (its action,
    /// test hooks and OCI digest kept), otherwise a new one goes first.
    /// </summary>
    public JsonObject Observe(Release release, string? action = null, string? ociDigest = null)
    {
        var index = _items.FindIndex(s => Targets(s, release));
        var snapshot = Snapshot(release);
        if (index >= 0)
        {
            var old = _items[index];
            CopyIfPresent(old, snapshot, "action");
            CopyIfPresent(old, snapshot, "testHooks");
            CopyIfPresent(old, snapshot, "ociDigest");
            _items[index] = snapshot;
        }
        else
        {
            _items.Insert(0, snapshot);
        }

        if (action is not null)
        {
            snapshot["action"] = action;
        }

        if (ociDigest is { Length: > 0 })
        {
            snapshot["ociDigest"] = ociDigest;
        }

        return snapshot;
    }

    /// <summary>Sets the test hooks' last runs of the release's snapshot (marking it tested).</summary>
    public void SetTestHooks(Release release)
    {
        var snapshot = _items.Find(s => Targets(s, release)) ?? Observe(release);
        var hooks = new JsonObject();
        foreach (var hook in release.Hooks.Where(h => h.Events.Contains("test")))
        {
            var run = new JsonObject();
            if (hook.LastRun.StartedAt is { } started)
            {
                run["lastStarted"] = KubeTime.Format(started);
            }

            if (hook.LastRun.CompletedAt is { } completed)
            {
                run["lastCompleted"] = KubeTime.Format(completed);
            }

            if (hook.LastRun.Phase is { Length: > 0 } phase)
            {
                run["phase"] = phase;
            }

            hooks[hook.Name] = run;
        }

        snapshot["testHooks"] = hooks;
    }

    /// <summary>
    /// The release to roll back to: the newest older snapshot that was deployed or superseded and — unless test
    /// failures are ignored — whose tests did not fail.
    /// </summary>
    public JsonObject? Previous(bool ignoreTestFailures) =>
        _items.Skip(1).FirstOrDefault(s => IsSuccessful(s, ignoreTestFailures));

    /// <summary>Drops every snapshot older than the previous successful one (Flux's <c>Truncate</c>).</summary>
    public void Truncate(bool ignoreTestFailures)
    {
        var previous = _items.Skip(1).ToList().FindIndex(s => IsSuccessful(s, ignoreTestFailures));
        if (previous >= 0 && previous + 2 < _items.Count)
        {
            _items.RemoveRange(previous + 2, _items.Count - previous - 2);
        }
    }

    public static bool HasBeenTested(JsonObject snapshot) => snapshot["testHooks"] is JsonObject;

    public static bool HasTestInPhase(JsonObject snapshot, string phase) =>
        (snapshot["testHooks"] as JsonObject ?? []).Any(h => h.Value?["phase"]?.GetValue<string>() == phase);

    /// <summary><c>namespace/name.vVERSION</c>.</summary>
    public static string FullReleaseName(JsonObject snapshot) =>
        $"{Str(snapshot, "namespace")}/{Str(snapshot, "name")}.v{snapshot["version"]?.GetValue<int>()}";

    /// <summary><c>chart@version</c>.</summary>
    public static string VersionedChartName(JsonObject snapshot) => $"{Str(snapshot, "chartName")}@{Str(snapshot, "chartVersion")}";

    public static string Str(JsonObject snapshot, string field) => snapshot[field]?.GetValue<string>() ?? "";

    /// <summary>Flux's snapshot of a stored release.</summary>
    public static JsonObject Snapshot(Release release)
    {
        var snapshot = new JsonObject
        {
            ["digest"] = Digest(release),
            ["name"] = release.Name,
            ["namespace"] = release.Namespace,
            ["version"] = release.Version,
            ["status"] = release.Info.Status,
            ["chartName"] = release.ChartName,
            ["chartVersion"] = release.ChartVersion,
        };
        if (release.Chart?["metadata"]?["appVersion"]?.GetValue<string>() is { Length: > 0 } appVersion)
        {
            snapshot["appVersion"] = appVersion;
        }

        snapshot["configDigest"] = ConfigDigest(release.Config);
        snapshot["firstDeployed"] = release.Info.FirstDeployed is { } first ? KubeTime.Format(first) : null;
        snapshot["lastDeployed"] = release.Info.LastDeployed is { } last ? KubeTime.Format(last) : null;
        if (release.Info.Deleted is { } deleted)
        {
            snapshot["deleted"] = KubeTime.Format(deleted);
        }

        return snapshot;
    }

    /// <summary>The digest of a stored record: SHA-256 of its JSON as Helm stores it.</summary>
    public static string Digest(Release release) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ReleaseJson.Write(release).ToJsonString())));

    /// <summary>The config digest of a stored release's values (<see cref="Values.ConfigDigest"/>).</summary>
    public static string ConfigDigest(JsonObject values) =>
        Values.ConfigDigest.Of(GoValues.FromJson(values) is { IsMap: true } v ? v.AsMap : new GoMap());

    private static bool Targets(JsonObject snapshot, Release release) =>
        Str(snapshot, "name") == release.Name && Str(snapshot, "namespace") == release.Namespace
        && snapshot["version"]?.GetValue<int>() == release.Version;

    private static bool IsSuccessful(JsonObject snapshot, bool ignoreTestFailures) =>
        Str(snapshot, "status") is ReleaseStatus.Deployed or ReleaseStatus.Superseded
        && (ignoreTestFailures || !HasTestInPhase(snapshot, HookExecution.Failed));

    private static void CopyIfPresent(JsonObject from, JsonObject to, string field)
    {
        if (from[field] is { } value)
        {
            to[field] = value.DeepClone();
        }
    }
}
