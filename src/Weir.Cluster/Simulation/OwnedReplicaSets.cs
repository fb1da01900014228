using System.Text.Json.Nodes;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>Which ReplicaSets each Deployment controls, kept from the change feed so a rollout never scans the namespace.</summary>
internal sealed class OwnedReplicaSets
{
    private readonly Dictionary<(string Namespace, string Deployment), HashSet<string>> _byOwner = [];

    /// <summary>Records a ReplicaSet change; returns the name of the Deployment controlling it, if any.</summary>
    public string? Observe(ObjectKey key, string type, string json)
    {
        var owner = ControllerOf(JsonNode.Parse(json) as JsonObject, "Deployment");
        if (owner is null)
        {
            return null;
        }
        var slot = (key.Namespace, owner);
        if (type == "DELETED")
        {
            if (_byOwner.TryGetValue(slot, out var set) && set.Remove(key.Name) && set.Count == 0)
            {
                _byOwner.Remove(slot);
            }
        }
        else
        {
            if (!_byOwner.TryGetValue(slot, out var set))
            {
                set = [];
                _byOwner[slot] = set;
            }
            set.Add(key.Name);
        }
        return owner;
    }

    public IReadOnlyCollection<string> Of(string ns, string deployment) =>
        _byOwner.TryGetValue((ns, deployment), out var set) ? [.. set] : [];

    /// <summary>The name of the controlling owner of <paramref name="kind"/>, if any.</summary>
    public static string? ControllerOf(JsonObject? obj, string kind) =>
        (Json.At(obj, "metadata", "ownerReferences") as JsonArray)?.OfType<JsonObject>()
            .Where(r => Json.Bool(r["controller"]) && Json.Str(r["kind"]) == kind)
            .Select(r => Json.Str(r["name"])).FirstOrDefault();

    public static string? ControllerUid(JsonObject obj) =>
        (Json.At(obj, "metadata", "ownerReferences") as JsonArray)?.OfType<JsonObject>()
            .Where(r => Json.Bool(r["controller"])).Select(r => Json.Str(r["uid"])).FirstOrDefault();
}
