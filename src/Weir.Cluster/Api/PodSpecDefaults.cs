using System.Text.Json.Nodes;

namespace Weir.Cluster.Api;

/// <summary>The defaults the API server gives a pod spec (so describe and get -o yaml read as on a real cluster).</summary>
internal static class PodSpecDefaults
{
    public static void Apply(JsonNode? podSpec, bool restartAlways)
    {
        if (podSpec is not JsonObject spec)
        {
            return;
        }
        if (restartAlways)
        {
            spec["restartPolicy"] ??= "Always";
        }
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["schedulerName"] ??= "default-scheduler";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["securityContext"] ??= new JsonObject();
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var c in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                var image = c["image"] is JsonValue iv && iv.TryGetValue<string>(out var s) ? s : "";
                var tag = image.Contains('@') ? "digest" : image.LastIndexOf(':') > image.LastIndexOf('/') ? image[(image.LastIndexOf(':') + 1)..] : "latest";
                c["imagePullPolicy"] ??= tag == "latest" ? "Always" : "IfNotPresent";
                c["terminationMessagePath"] ??= "/dev/termination-log";
                c["terminationMessagePolicy"] ??= "File";
                c["resources"] ??= new JsonObject();
                foreach (var p in (c["ports"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    p["protocol"] ??= "TCP";
                }
            }
        }
    }
}
