using System.Text.Json.Nodes;

namespace Weir.Cluster.Api;

/// <summary>
/// Every resource the server serves: the built-in kinds plus one entry per served version of each
/// CustomResourceDefinition. Changes take effect at once for discovery, OpenAPI and REST routing.
/// </summary>
public sealed class ResourceCatalog
{
    private readonly object _gate = new();
    private readonly List<ResourceType> _builtins;
    private readonly Dictionary<string, List<ResourceType>> _crds = new(StringComparer.Ordinal);
    private IReadOnlyList<ResourceType> _all;

    public ResourceCatalog()
    {
        _builtins = BuiltinResources.Create();
        _all = _builtins;
    }

    /// <summary>Bumped on every CRD change; part of the OpenAPI hashes.</summary>
    public long Generation { get; private set; }

    public IReadOnlyList<ResourceType> All
    {
        get
        {
            lock (_gate)
            {
                return _all;
            }
        }
    }

    public ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    /// <summary>Any served version of a group/resource, preferring the storage version of CRDs.</summary>
    public ResourceType? FindAnyVersion(string group, string plural) => All.FirstOrDefault(t => t.Group == group && t.Plural == plural);

    public ResourceType? FindKind(string group, string version, string kind) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Kind == kind);

    /// <summary>Groups in discovery order with their versions, preferred first.</summary>
    public List<(string Group, List<string> Versions)> Groups()
    {
        var result = new List<(string, List<string>)>();
        foreach (var t in All)
        {
            var entry = result.FindIndex(g => g.Item1 == t.Group);
            if (entry < 0)
            {
                result.Add((t.Group, [t.Version]));
            }
            else if (!result[entry].Item2.Contains(t.Version))
            {
                result[entry].Item2.Add(t.Version);
            }
        }
        return result;
    }

    /// <summary>Serves (or re-serves) a CRD's versions.</summary>
    public void SetCrd(JsonObject crd)
    {
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
        var spec = crd["spec"] as JsonObject ?? [];
        var group = spec["group"]?.GetValue<string>() ?? "";
        var names = spec["names"] as JsonObject ?? [];
        var types = new List<ResourceType>();
        var revision = long.TryParse(crd["metadata"]?["resourceVersion"]?.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out var rv) ? rv : 0;
        List<ResourceType>? previous;
        lock (_gate)
        {
            previous = _crds.GetValueOrDefault(name);
        }
        var versions = (spec["versions"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(v => v["served"] is not JsonValue s || !s.TryGetValue<bool>(out var b) || b)
            .OrderByDescending(v => v["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b);
        foreach (var v in versions)
        {
            types.Add(new ResourceType(
                group,
                v["name"]?.GetValue<string>() ?? "v1",
                names["plural"]?.GetValue<string>() ?? "",
                names["singular"]?.GetValue<string>() ?? "",
                names["kind"]?.GetValue<string>() ?? "",
                (spec["scope"]?.GetValue<string>() ?? "Namespaced") == "Namespaced",
                Strings(names["shortNames"]),
                Strings(names["categories"]),
                new CustomResourceStrategy(v, SchemaRevision(previous, v, revision))));
        }
        lock (_gate)
        {
            _crds[name] = types;
            Rebuild();
        }
    }

    /// <summary>The revision a version's schema dates from: kept from the served version while its schema is unchanged.</summary>
    private static long SchemaRevision(List<ResourceType>? previous, JsonObject version, long revision) =>
        previous?.FirstOrDefault(t => t.Version == version["name"]?.GetValue<string>())?.Strategy is CustomResourceStrategy served &&
        JsonNode.DeepEquals(served.Schema?.Root, version["schema"]?["openAPIV3Schema"])
            ? served.SchemaRevision
            : revision;

    public void RemoveCrd(string name)
    {
        lock (_gate)
        {
            if (_crds.Remove(name))
            {
                Rebuild();
            }
        }
    }

    private void Rebuild()
    {
        _all = [.. _builtins, .. _crds.OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => kv.Value)];
        Generation++;
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(x => x?.GetValue<string>() ?? "")] : [];
}
