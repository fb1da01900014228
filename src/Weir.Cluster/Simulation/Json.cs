using System.Globalization;
using System.Text.Json.Nodes;

namespace Weir.Cluster.Simulation;

/// <summary>Small readers for the loosely typed objects the simulator looks at.</summary>
internal static class Json
{
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            node = node is JsonObject o ? o[p] : null;
        }
        return node;
    }

    public static string Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    public static long Int(JsonNode? n, long fallback = 0)
    {
        if (n is not JsonValue v)
        {
            return fallback;
        }
        if (v.TryGetValue<long>(out var l))
        {
            return l;
        }
        if (v.TryGetValue<double>(out var d))
        {
            return (long)d;
        }
        return v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : fallback;
    }

    public static bool Bool(JsonNode? n) => n is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>The child object under <paramref name="key"/>, created when missing.</summary>
    public static JsonObject Child(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject o)
        {
            return o;
        }
        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    public static string Name(JsonObject obj) => Str(At(obj, "metadata", "name"));

    public static string Uid(JsonObject obj) => Str(At(obj, "metadata", "uid"));

    public static long Generation(JsonObject obj) => Int(At(obj, "metadata", "generation"), 1);

    public static bool Deleting(JsonObject obj) => At(obj, "metadata", "deletionTimestamp") is not null;

    /// <summary>Adds a number field only when it is not zero, as Kubernetes' omitempty status fields read.</summary>
    public static void PutNonZero(JsonObject obj, string key, long value)
    {
        if (value != 0)
        {
            obj[key] = value;
        }
    }
}
