using System.Text.Json.Nodes;

namespace Weir.Cli.Status;

/// <summary>kstatus for a Deployment: Current once the rollout is observed, updated and available; Failed past its progress deadline.</summary>
public static class DeploymentHealth
{
    public static (WorkloadHealth Health, string Message) Of(JsonObject deployment)
    {
        var generation = Long(deployment["metadata"]?["generation"]);
        var status = deployment["status"] as JsonObject;
        var observed = Long(status?["observedGeneration"]);
        if (generation > observed)
        {
            return (WorkloadHealth.InProgress, $"Deployment generation is {generation}, but latest observed generation is {observed}");
        }

        var progressing = (status?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.GetValue<string>() == "Progressing");
        if (progressing?["reason"]?.GetValue<string>() == "ProgressDeadlineExceeded")
        {
            return (WorkloadHealth.Failed, "Progress deadline exceeded");
        }

        var replicas = deployment["spec"]?["replicas"] is { } r ? Long(r) : 1;
        var updated = Long(status?["updatedReplicas"]);
        var available = Long(status?["availableReplicas"]);
        var total = Long(status?["replicas"]);
        if (updated < replicas)
        {
            return (WorkloadHealth.InProgress, $"Updated: {updated}/{replicas}");
        }

        if (total > updated)
        {
            return (WorkloadHealth.InProgress, $"Pending termination: {total - updated}");
        }

        if (available < updated)
        {
            return (WorkloadHealth.InProgress, $"Available: {available}/{updated}");
        }

        return (WorkloadHealth.Current, $"Deployment is available. Replicas: {total}");
    }

    private static long Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
}
