using System.Text.Json.Nodes;
using Weir.Core.OpenApi;

namespace Weir.Cluster.Schema;

/// <summary>
/// The OpenAPI definitions of the built-in kinds, from the Kubernetes document Weir.Core embeds for the server
/// (<see cref="KubernetesOpenApi.Server"/>, the version <c>/version</c> reports).
/// </summary>
public sealed class BuiltinSchemas
{
    private static readonly Lazy<BuiltinSchemas> Shared = new(Load);

    public static BuiltinSchemas Instance => Shared.Value;

    /// <summary>Definitions by name, e.g. <c>io.k8s.api.core.v1.ConfigMap</c>, with <c>$ref</c>s in v2 form.</summary>
    public IReadOnlyDictionary<string, JsonObject> Definitions { get; }

    private readonly Dictionary<(string Group, string Version, string Kind), string> _byGvk = [];

    private BuiltinSchemas(Dictionary<string, JsonObject> definitions)
    {
        Definitions = definitions;
        foreach (var (name, def) in definitions)
        {
            if (def["x-kubernetes-group-version-kind"] is JsonArray gvks)
            {
                foreach (var g in gvks.OfType<JsonObject>())
                {
                    _byGvk[(g["group"]!.GetValue<string>(), g["version"]!.GetValue<string>(), g["kind"]!.GetValue<string>())] = name;
                }
            }
        }
    }

    // The definitions are Weir.Core's copy of the server's Kubernetes version (one parsed copy).
    private static BuiltinSchemas Load()
    {
        var defs = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (name, def) in KubernetesOpenApi.Server.AllDefinitions())
        {
            defs[name] = def;
        }
        return new BuiltinSchemas(defs);
    }

    /// <summary>The definition name for a kind, e.g. (apps, v1, Deployment) → io.k8s.api.apps.v1.Deployment.</summary>
    public string? DefinitionFor(string group, string version, string kind) =>
        _byGvk.TryGetValue((group, version, kind), out var n) ? n : null;

    public JsonObject? Resolve(string reference)
    {
        var name = reference[(reference.LastIndexOf('/') + 1)..];
        return Definitions.TryGetValue(name, out var d) ? d : null;
    }

    /// <summary>Every definition reachable from the given ones through <c>$ref</c>.</summary>
    public HashSet<string> Closure(IEnumerable<string> roots)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(roots);
        while (stack.Count > 0)
        {
            var name = stack.Pop();
            if (!seen.Add(name) || !Definitions.TryGetValue(name, out var def))
            {
                continue;
            }
            foreach (var r in Refs(def))
            {
                stack.Push(r[(r.LastIndexOf('/') + 1)..]);
            }
        }
        return seen;
    }

    private static IEnumerable<string> Refs(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    if (k == "$ref" && v is JsonValue rv && rv.TryGetValue<string>(out var s))
                    {
                        yield return s;
                    }
                    foreach (var r in Refs(v))
                    {
                        yield return r;
                    }
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    foreach (var r in Refs(item))
                    {
                        yield return r;
                    }
                }
                break;
        }
    }
}
