using System.Text.Json.Nodes;

namespace Weir.Runtime.Apply;

/// <summary>
/// The objects a Kustomization applied, as <c>status.inventory.entries[] {id, v}</c>: the id is
/// <c>ns_name_group_kind</c> and <c>v</c> the version the object was applied with.
/// </summary>
public sealed class Inventory
{
    private readonly List<ObjectRef> _entries;

    public Inventory(IEnumerable<ObjectRef>? entries = null) => _entries = entries?.ToList() ?? [];

    public IReadOnlyList<ObjectRef> Entries => _entries;

    public static Inventory FromChangeSet(ChangeSet changeSet) => new(changeSet.Entries.Select(e => e.Object));

    /// <summary>Reads <c>status.inventory</c>; null when the object has none.</summary>
    public static Inventory? Read(JsonObject obj)
    {
        if (obj["status"]?["inventory"] is not JsonObject inventory)
        {
            return null;
        }

        var entries = (inventory["entries"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(e => ObjectRef.FromInventory(e["id"]?.GetValue<string>() ?? "", e["v"]?.GetValue<string>() ?? ""));
        return new Inventory(entries);
    }

    public JsonObject ToJson() => new()
    {
        ["entries"] = new JsonArray(_entries.Select(e => (JsonNode)new JsonObject { ["id"] = e.Id, ["v"] = e.Version }).ToArray()),
    };

    /// <summary>Objects in this inventory that <paramref name="newer"/> no longer holds (the ones to prune).</summary>
    public IReadOnlyList<ObjectRef> StaleAgainst(Inventory newer)
    {
        var kept = newer._entries.Select(e => e.Id).ToHashSet();
        return [.. _entries.Where(e => !kept.Contains(e.Id))];
    }

    /// <summary>Adds objects not already present (survivors of a failed prune stay tracked).</summary>
    public void Merge(IEnumerable<ObjectRef> objects)
    {
        var ids = _entries.Select(e => e.Id).ToHashSet();
        _entries.AddRange(objects.Where(o => ids.Add(o.Id)));
    }
}
