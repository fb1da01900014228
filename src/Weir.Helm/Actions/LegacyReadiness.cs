using System.Globalization;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Apply;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Helm.Actions;

/// <summary>
/// Helm's legacy wait (<c>waitStrategy: legacy</c>): its ready checker's rules, polled every interval until all
/// objects are ready or the timeout passes. Pods need the Ready condition; Jobs must complete (a failed one fails at
/// once); a Deployment is ready when paused, or when its newest ReplicaSet has observed its generation and has
/// <c>replicas - maxUnavailable</c> ready replicas; a PVC must be Bound; a Service needs a cluster IP (and a
/// LoadBalancer an ingress or external IPs); DaemonSets and StatefulSets their rolling update done; CRDs Established.
/// Other kinds are ready once they exist.
/// </summary>
internal sealed class LegacyReadiness(ResourceClient client, ResourceMapper mapper)
{
    private const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    private static readonly KubeResource ReplicaSets = new("apps", "v1", "replicasets", "ReplicaSet");

    /// <summary>Null when all are ready; Helm's <c>context deadline exceeded</c> (naming what is not ready) otherwise.</summary>
    public async Task<string?> WaitAsync(IReadOnlyList<ObjectRef> objects, TimeSpan timeout, TimeSpan interval, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            string? notReady = null;
            foreach (var o in objects)
            {
                var (ready, failure) = await IsReadyAsync(o, cancellationToken);
                if (failure is not null)
                {
                    return failure;
                }

                if (!ready)
                {
                    notReady = o.Subject;
                    break;
                }
            }

            if (notReady is null)
            {
                return null;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                return $"context deadline exceeded: {notReady} is not ready";
            }

            await WorkerSlot.DelayAsync(interval, TimeProvider.System, cancellationToken);
        }
    }

    private async Task<(bool Ready, string? Failure)> IsReadyAsync(ObjectRef o, CancellationToken cancellationToken)
    {
        KubeResource resource;
        JsonObject? obj;
        try
        {
            resource = await mapper.MapAsync(o.Gvk, cancellationToken);
            obj = await client.GetAsync(resource, new ObjectKey(resource.Namespaced ? o.Namespace : "", o.Name), cancellationToken);
        }
        catch (Exception e) when (e is KubeApiException or NoKindMatchException or HttpRequestException)
        {
            return (false, null); // Helm retries errors while checking readiness
        }

        if (obj is null)
        {
            return (false, null);
        }

        return (o.Gvk.Group, o.Gvk.Kind) switch
        {
            ("", "Pod") => (PodReady(obj), null),
            ("batch", "Job") => Job(obj),
            ("apps", "Deployment") => (await DeploymentReadyAsync(obj, cancellationToken), null),
            ("", "PersistentVolumeClaim") => (Str(obj["status"]?["phase"]) == "Bound", null),
            ("", "Service") => (ServiceReady(obj), null),
            ("apps", "DaemonSet") => (DaemonSetReady(obj), null),
            ("apps", "StatefulSet") => (StatefulSetReady(obj), null),
            ("apiextensions.k8s.io", "CustomResourceDefinition") => (Conditions(obj).Any(c => Str(c["type"]) == "Established" && Str(c["status"]) == "True"), null),
            ("apps", "ReplicaSet") or ("", "ReplicationController") => (ObservedGeneration(obj) && await PodsReadyAsync(obj, cancellationToken), null),
            _ => (true, null),
        };
    }

    private static bool PodReady(JsonObject pod) => Conditions(pod).Any(c => Str(c["type"]) == "Ready" && Str(c["status"]) == "True");

    private static (bool, string?) Job(JsonObject job)
    {
        var backoffLimit = Int(job["spec"]?["backoffLimit"], 6);
        if (Int(job["status"]?["failed"], 0) > backoffLimit)
        {
            return (false, $"job is failed: {job.Namespace()}/{job.Name()}");
        }

        var completions = job["spec"]?["completions"];
        return (completions is null || Int(job["status"]?["succeeded"], 0) >= Int(completions, 1), null);
    }

    private async Task<bool> DeploymentReadyAsync(JsonObject deployment, CancellationToken cancellationToken)
    {
        if (deployment["spec"]?["paused"]?.GetValue<bool>() == true)
        {
            return true;
        }

        var revision = deployment.Annotations().GetValueOrDefault(RevisionAnnotation);
        var (sets, _) = await client.ListAsync(ReplicaSets, deployment.Namespace(), cancellationToken: cancellationToken);
        var newest = sets
            .Where(rs => (rs["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(r => Str(r?["uid"]) == Str(deployment["metadata"]?["uid"])))
            .Where(rs => revision is null || rs.Annotations().GetValueOrDefault(RevisionAnnotation) == revision)
            .MaxBy(rs => long.TryParse(rs.Annotations().GetValueOrDefault(RevisionAnnotation), out var r) ? r : 0);
        if (newest is null || !ObservedGeneration(newest) || !ObservedGeneration(deployment))
        {
            return false;
        }

        var replicas = Int(deployment["spec"]?["replicas"], 1);
        var strategy = deployment["spec"]?["strategy"];
        var maxUnavailable = Str(strategy?["type"]) == "Recreate"
            ? 0
            : Scaled(strategy?["rollingUpdate"]?["maxUnavailable"], replicas, "25%", roundUp: false);
        return Int(newest["status"]?["readyReplicas"], 0) >= replicas - maxUnavailable;
    }

    private static bool ServiceReady(JsonObject service)
    {
        var spec = service["spec"];
        if (Str(spec?["type"]) == "ExternalName")
        {
            return true;
        }

        if (Str(spec?["clusterIP"]).Length == 0)
        {
            return false;
        }

        return Str(spec?["type"]) != "LoadBalancer" || spec?["externalIPs"] is JsonArray { Count: > 0 }
            || service["status"]?["loadBalancer"]?["ingress"] is JsonArray;
    }

    private static bool DaemonSetReady(JsonObject ds)
    {
        if (!ObservedGeneration(ds))
        {
            return false;
        }

        if (Str(ds["spec"]?["updateStrategy"]?["type"]) is { Length: > 0 } type && type != "RollingUpdate")
        {
            return true;
        }

        var desired = Int(ds["status"]?["desiredNumberScheduled"], 0);
        if (Int(ds["status"]?["updatedNumberScheduled"], 0) != desired)
        {
            return false;
        }

        var maxUnavailable = Scaled(ds["spec"]?["updateStrategy"]?["rollingUpdate"]?["maxUnavailable"], desired, "1", roundUp: true);
        return Int(ds["status"]?["numberReady"], 0) >= desired - maxUnavailable;
    }

    private static bool StatefulSetReady(JsonObject sts)
    {
        if (!ObservedGeneration(sts))
        {
            return false;
        }

        var strategy = sts["spec"]?["updateStrategy"];
        if (Str(strategy?["type"]) is { Length: > 0 } type && type != "RollingUpdate")
        {
            return true;
        }

        var partition = Int(strategy?["rollingUpdate"]?["partition"], 0);
        var replicas = Int(sts["spec"]?["replicas"], 1);
        var status = sts["status"];
        return Int(status?["updatedReplicas"], 0) >= replicas - partition
            && Int(status?["readyReplicas"], 0) == replicas
            && (partition != 0 || Str(status?["currentRevision"]) == Str(status?["updateRevision"]));
    }

    private async Task<bool> PodsReadyAsync(JsonObject owner, CancellationToken cancellationToken)
    {
        var selector = owner["spec"]?["selector"];
        var labels = (selector?["matchLabels"] as JsonObject ?? (selector as JsonObject) ?? [])
            .Where(l => l.Value is JsonValue)
            .ToDictionary(l => l.Key, l => Str(l.Value));
        var (pods, _) = await client.ListAsync(KubeResource.Pod, owner.Namespace(), cancellationToken: cancellationToken);
        return pods.Where(p => labels.All(l => p.Labels().GetValueOrDefault(l.Key) == l.Value)).All(PodReady);
    }

    private static bool ObservedGeneration(JsonObject obj) =>
        obj["status"]?["observedGeneration"] is not JsonValue observed || Int(observed, 0) == obj.Generation();

    /// <summary>An int-or-percent scaled against <paramref name="total"/>, as Kubernetes' GetScaledValueFromIntOrPercent.</summary>
    private static long Scaled(JsonNode? value, long total, string fallback, bool roundUp)
    {
        var text = value is JsonValue v && v.TryGetValue<long>(out var n) ? n.ToString(CultureInfo.InvariantCulture) : value is null ? fallback : Str(value);
        if (!text.EndsWith('%'))
        {
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var absolute) ? absolute : 0;
        }

        var percent = double.Parse(text[..^1], CultureInfo.InvariantCulture) * total / 100;
        return (long)(roundUp ? Math.Ceiling(percent) : Math.Floor(percent));
    }

    private static IEnumerable<JsonObject> Conditions(JsonObject obj) => (obj["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>();

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static long Int(JsonNode? node, long fallback) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : fallback;
}
