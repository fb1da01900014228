using System.Text.Json.Nodes;

namespace Weir.Kustomize.Yaml;

/// <summary>
/// Field lookup as Go's encoding/json decodes into structs (kustomize's kustomization and plugin configs): an exact
/// name wins, else the first name that matches ignoring case.
/// </summary>
public static class GoJsonFields
{
    public static JsonNode? Field(this JsonObject o, string name) =>
        o.TryGetPropertyValue(name, out var exact)
            ? exact
            : o.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
