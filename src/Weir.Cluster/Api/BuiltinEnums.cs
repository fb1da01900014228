using System.Text.Json.Nodes;

namespace Weir.Cluster.Api;

/// <summary>
/// Enumerated fields of built-in kinds that the Kubernetes API server validates but the 1.21 OpenAPI reference does
/// not list as enums. Paths use <c>[*]</c> for every list item.
/// </summary>
internal static class BuiltinEnums
{
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];

    private static readonly (string Path, string[] Values)[] PodSpec =
    [
        ("restartPolicy", ["Always", "Never", "OnFailure"]),
        ("dnsPolicy", ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]),
        ("containers[*].imagePullPolicy", PullPolicies),
        ("containers[*].ports[*].protocol", Protocols),
        ("initContainers[*].imagePullPolicy", PullPolicies),
    ];

    private static readonly Dictionary<string, (string Path, string[] Values)[]> ByKind = new()
    {
        ["Service"] = [("spec.ports[*].protocol", Protocols), ("spec.sessionAffinity", ["ClientIP", "None"]), ("spec.externalTrafficPolicy", ["Cluster", "Local"])],
        ["Pod"] = Prefixed("spec.", PodSpec),
        ["Deployment"] = [("spec.strategy.type", ["Recreate", "RollingUpdate"]), .. Prefixed("spec.template.spec.", PodSpec)],
        ["StatefulSet"] = [("spec.podManagementPolicy", ["OrderedReady", "Parallel"]), ("spec.updateStrategy.type", ["OnDelete", "RollingUpdate"]), .. Prefixed("spec.template.spec.", PodSpec)],
        ["DaemonSet"] = [("spec.updateStrategy.type", ["OnDelete", "RollingUpdate"]), .. Prefixed("spec.template.spec.", PodSpec)],
        ["ReplicaSet"] = Prefixed("spec.template.spec.", PodSpec),
        ["Job"] = [("spec.completionMode", ["Indexed", "NonIndexed"]), .. Prefixed("spec.template.spec.", PodSpec)],
        ["CronJob"] = [("spec.concurrencyPolicy", ["Allow", "Forbid", "Replace"]), .. Prefixed("spec.jobTemplate.spec.template.spec.", PodSpec)],
        ["PersistentVolumeClaim"] = [("spec.accessModes[*]", ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]), ("spec.volumeMode", ["Block", "Filesystem"])],
        ["Ingress"] = [("spec.rules[*].http.paths[*].pathType", ["Exact", "ImplementationSpecific", "Prefix"])],
        ["NetworkPolicy"] = [("spec.policyTypes[*]", ["Egress", "Ingress"])],
    };

    private static (string, string[])[] Prefixed(string prefix, (string Path, string[] Values)[] fields) =>
        [.. fields.Select(f => (prefix + f.Path, f.Values))];

    public static IEnumerable<FieldError> Check(string kind, JsonObject obj)
    {
        if (!ByKind.TryGetValue(kind, out var fields))
        {
            yield break;
        }
        foreach (var (path, values) in fields)
        {
            foreach (var (field, value) in Resolve(obj, path.Split('.'), 0, ""))
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s) && !values.Contains(s))
                {
                    yield return FieldError.NotSupported(field, value, values);
                }
            }
        }
    }

    private static IEnumerable<(string Field, JsonNode? Value)> Resolve(JsonNode? node, string[] parts, int index, string field)
    {
        if (index == parts.Length)
        {
            yield return (field, node);
            yield break;
        }
        var part = parts[index];
        var each = part.EndsWith("[*]", StringComparison.Ordinal);
        var name = each ? part[..^3] : part;
        var child = node is JsonObject o ? o[name] : null;
        var path = field == "" ? name : $"{field}.{name}";
        if (child is null)
        {
            yield break;
        }
        if (!each)
        {
            foreach (var r in Resolve(child, parts, index + 1, path))
            {
                yield return r;
            }
            yield break;
        }
        if (child is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                foreach (var r in Resolve(a[i], parts, index + 1, $"{path}[{i}]"))
                {
                    yield return r;
                }
            }
        }
    }
}
