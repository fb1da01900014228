using System.Text.Json.Nodes;

namespace Weir.Cluster.Api;

/// <summary>
/// A FieldsV1 set covering every field of an object, maps per key and lists as a whole.
/// TODO(part 2): list-map and set items (k:/v: keys) for server-side apply.
/// </summary>
internal static class ManagedFieldSet
{
    public static JsonObject OfObject(JsonObject obj)
    {
        var set = new JsonObject();
        foreach (var (k, v) in obj)
        {
            if (k is "apiVersion" or "kind" or "status")
            {
                continue;
            }
            if (k == "metadata" && v is JsonObject meta)
            {
                var m = new JsonObject();
                foreach (var key in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
                {
                    if (meta[key] is { } part)
                    {
                        m["f:" + key] = Of(part);
                    }
                }
                if (m.Count > 0)
                {
                    set["f:metadata"] = m;
                }
                continue;
            }
            set["f:" + k] = Of(v);
        }
        return set;
    }

    public static JsonObject Of(JsonNode? node)
    {
        if (node is not JsonObject o)
        {
            return [];
        }
        var set = new JsonObject { ["."] = new JsonObject() };
        foreach (var (k, v) in o)
        {
            set["f:" + k] = Of(v);
        }
        return set;
    }
}
