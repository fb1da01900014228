using System.Text.Json.Nodes;

namespace Weir.Cluster.Simulation;

/// <summary>
/// Builds the pod a workload controller creates from its template: the template's labels (plus the controller's own)
/// and annotations, a controlling owner reference with blockOwnerDeletion, and the template's spec already bound to the
/// one node (the scheduler's binding, folded into the create).
/// </summary>
internal static class PodFactory
{
    /// <param name="owner">The controlling object (ReplicaSet, StatefulSet, DaemonSet, Job).</param>
    /// <param name="template">Its pod template.</param>
    /// <param name="name">A fixed name (StatefulSet pods), or null to have the server generate <c>OWNER-xxxxx</c>.</param>
    /// <param name="labels">Labels the controller adds to the template's.</param>
    /// <param name="node">The node the pod is bound to.</param>
    public static JsonObject Build(JsonObject owner, JsonNode? template, string? name, IEnumerable<KeyValuePair<string, string>> labels, string node)
    {
        var meta = new JsonObject();
        if (name is null)
        {
            meta["generateName"] = Json.Name(owner) + "-";
        }
        else
        {
            meta["name"] = name;
        }
        meta["namespace"] = Json.Str(Json.At(owner, "metadata", "namespace"));
        var podLabels = (Json.At(template, "metadata", "labels") as JsonObject)?.DeepClone() as JsonObject ?? [];
        foreach (var (k, v) in labels)
        {
            podLabels[k] = v;
        }
        meta["labels"] = podLabels;
        if (Json.At(template, "metadata", "annotations") is JsonObject annotations)
        {
            meta["annotations"] = annotations.DeepClone();
        }
        meta["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = Json.Str(owner["apiVersion"]),
            ["kind"] = Json.Str(owner["kind"]),
            ["name"] = Json.Name(owner),
            ["uid"] = Json.Uid(owner),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        });
        var spec = Json.At(template, "spec")?.DeepClone() as JsonObject ?? [];
        spec["nodeName"] = node;
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = meta, ["spec"] = spec };
    }
}
