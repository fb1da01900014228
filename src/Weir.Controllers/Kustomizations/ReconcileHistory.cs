using System.Text.Json.Nodes;
using Weir.Core.Time;

namespace Weir.Controllers.Kustomizations;

/// <summary>
/// Flux's <c>status.history</c>: at most five snapshots, newest first. A reconcile with the same manifests digest
/// and outcome as an existing snapshot updates it (count, time, duration) and moves it to the front.
/// </summary>
public static class ReconcileHistory
{
    public const int MaxSize = 5;

    public static JsonArray Upsert(
        JsonArray? history, string digest, DateTimeOffset now, TimeSpan duration, string status, IReadOnlyDictionary<string, string> metadata)
    {
        var items = (history ?? []).OfType<JsonObject>().Select(h => (JsonObject)h.DeepClone()).ToList();
        var meta = new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value)));
        var index = items.FindIndex(h => h["digest"]?.GetValue<string>() == digest && h["lastReconciledStatus"]?.GetValue<string>() == status);
        if (index >= 0)
        {
            var snapshot = items[index];
            snapshot["lastReconciled"] = KubeTime.Format(now);
            snapshot["lastReconciledDuration"] = FluxDuration.Format(duration);
            snapshot["totalReconciliations"] = (snapshot["totalReconciliations"]?.GetValue<long>() ?? 0) + 1;
            snapshot["metadata"] = meta;
            items.RemoveAt(index);
            items.Insert(0, snapshot);
        }
        else
        {
            items.Insert(0, new JsonObject
            {
                ["digest"] = digest,
                ["firstReconciled"] = KubeTime.Format(now),
                ["lastReconciled"] = KubeTime.Format(now),
                ["lastReconciledDuration"] = FluxDuration.Format(duration),
                ["lastReconciledStatus"] = status,
                ["totalReconciliations"] = 1L,
                ["metadata"] = meta,
            });
        }

        return new JsonArray(items.Take(MaxSize).Select(i => (JsonNode)i).ToArray());
    }
}
