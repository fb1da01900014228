using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Cli.Flux;

/// <summary>One applied object in a Kustomization's <c>status.inventory</c>: id <c>&lt;ns&gt;_&lt;name&gt;_&lt;group&gt;_&lt;Kind&gt;</c>, version <c>v</c>.</summary>
public sealed record InventoryEntry(string Namespace, string Name, string Group, string Kind, string Version)
{
    public GroupVersionKind Gvk => new(Group, Version, Kind);

    public ObjectKey Key => new(Namespace, Name);

    public bool IsFlux => Group.EndsWith(".toolkit.fluxcd.io", StringComparison.Ordinal);

    /// <summary>flux's notation: <c>Kind/namespace/name</c>, or <c>Kind/name</c> when cluster-scoped.</summary>
    public override string ToString() => Namespace.Length == 0 ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";

    public static IReadOnlyList<InventoryEntry> Of(JsonObject obj) =>
        (obj["status"]?["inventory"]?["entries"] as JsonArray)?.OfType<JsonObject>()
            .Select(e => Parse(FluxKind.Str(e["id"]), FluxKind.Str(e["v"])))
            .OfType<InventoryEntry>()
            .ToList() ?? [];

    public static InventoryEntry? Parse(string id, string version)
    {
        var parts = id.Split('_');
        return parts.Length == 4 ? new InventoryEntry(parts[0], parts[1], parts[2], parts[3], version) : null;
    }
}
