using System.Globalization;
using System.Text.Json.Nodes;

namespace Weir.Cluster.Printing;

/// <summary>The columns kubectl users know for the built-in kinds (NAME ... AGE), by kind.</summary>
public static partial class BuiltinTables
{
    private static TableColumn Col(string name, Func<JsonObject, JsonNode?> cell, int priority = 0, string type = "string") =>
        new(name, type, "", name, priority, (o, _) => cell(o));

    private static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            node = node is JsonObject o ? o[p] : null;
        }
        return node;
    }

    private static long Int(JsonNode? n) => n is JsonValue v && v.TryGetValue<long>(out var i) ? i : 0;

    private static string Str(JsonNode? n, string fallback = "") => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : fallback;

    private static int Count(JsonNode? n) => n switch { JsonObject o => o.Count, JsonArray a => a.Count, _ => 0 };

    private static string OrNone(string s) => s == "" ? "<none>" : s;

    private static string Selector(JsonNode? labels) =>
        labels is JsonObject o ? string.Join(",", o.Select(kv => $"{kv.Key}={Str(kv.Value)}")) : "";

    private static string LabelSelector(JsonNode? selector)
    {
        if (selector is not JsonObject s)
        {
            return "<none>";
        }
        var parts = new List<string>();
        if (s["matchLabels"] is JsonObject ml)
        {
            parts.AddRange(ml.Select(kv => $"{kv.Key}={Str(kv.Value)}"));
        }
        if (s["matchExpressions"] is JsonArray me)
        {
            foreach (var e in me.OfType<JsonObject>())
            {
                var values = e["values"] is JsonArray va ? string.Join(",", va.Select(x => Str(x))) : "";
                var op = Str(e["operator"]).ToLowerInvariant();
                parts.Add(op switch
                {
                    "exists" => Str(e["key"]),
                    "doesnotexist" => "!" + Str(e["key"]),
                    _ => $"{Str(e["key"])} {op} ({values})",
                });
            }
        }
        return parts.Count == 0 ? "<none>" : string.Join(",", parts);
    }

    private static JsonArray Containers(JsonObject o, params string[] path) =>
        At(o, [.. path, "containers"]) as JsonArray ?? [];

    private static string Names(JsonArray containers) => string.Join(",", containers.Select(c => Str(At(c, "name"))));

    private static string Images(JsonArray containers) => string.Join(",", containers.Select(c => Str(At(c, "image"))));

    private static string Ports(JsonNode? ports)
    {
        if (ports is not JsonArray a || a.Count == 0)
        {
            return "<none>";
        }
        return string.Join(",", a.Select(p =>
        {
            var port = At(p, "port")?.ToJsonString(JsonText.Options) ?? "";
            var node = At(p, "nodePort");
            var proto = Str(At(p, "protocol"), "TCP");
            return node is null ? $"{port}/{proto}" : $"{port}:{node.ToJsonString(JsonText.Options)}/{proto}";
        }));
    }

    private static TableConvertor With(params TableColumn[] middle) =>
        new([TableConvertor.NameColumn, .. middle.Where(c => c.Priority == 0), TableConvertor.AgeColumn, .. middle.Where(c => c.Priority > 0)]);

    private static readonly Dictionary<string, TableConvertor> ByKind = new()
    {
        ["Namespace"] = With(Col("Status", o => Str(At(o, "status", "phase"), "Active"))),
        ["ConfigMap"] = With(Col("Data", o => Count(o["data"]) + Count(o["binaryData"]), type: "integer")),
        ["Secret"] = With(Col("Type", o => Str(o["type"], "Opaque")), Col("Data", o => Count(o["data"]), type: "integer")),
        ["ServiceAccount"] = With(Col("Secrets", o => Count(o["secrets"]), type: "integer")),
        ["Service"] = With(
            Col("Type", o => Str(At(o, "spec", "type"), "ClusterIP")),
            Col("Cluster-IP", o => OrNone(Str(At(o, "spec", "clusterIP")))),
            Col("External-IP", o => ExternalIp(o)),
            Col("Port(s)", o => Ports(At(o, "spec", "ports"))),
            Col("Selector", o => OrNone(Selector(At(o, "spec", "selector"))), 1)),
        ["Endpoints"] = With(Col("Endpoints", o => Endpoints(o))),
        ["PersistentVolumeClaim"] = With(
            Col("Status", o => Str(At(o, "status", "phase"), "Pending")),
            Col("Volume", o => Str(At(o, "spec", "volumeName"))),
            Col("Capacity", o => Str(At(o, "status", "capacity", "storage"))),
            Col("Access Modes", o => AccessModes(At(o, "status", "accessModes"))),
            Col("StorageClass", o => Str(At(o, "spec", "storageClassName"))),
            Col("VolumeAttributesClass", o => OrNone(Str(At(o, "spec", "volumeAttributesClassName"))), 1),
            Col("VolumeMode", o => Str(At(o, "spec", "volumeMode"), "Filesystem"), 1)),
        ["Pod"] = With(
            Col("Ready", o => PodReady(o)),
            Col("Status", o => PodStatus(o)),
            new TableColumn("Restarts", "string", "", "Restarts", 0, (o, now) => PodRestarts(o, now)),
            Col("IP", o => OrNone(Str(At(o, "status", "podIP"))), 1),
            Col("Node", o => OrNone(Str(At(o, "spec", "nodeName"))), 1),
            Col("Nominated Node", o => OrNone(Str(At(o, "status", "nominatedNodeName"))), 1),
            Col("Readiness Gates", o => ReadinessGates(o), 1)),
        ["Node"] = new([
            TableConvertor.NameColumn,
            Col("Status", o => NodeStatus(o)),
            Col("Roles", o => NodeRoles(o)),
            TableConvertor.AgeColumn,
            Col("Version", o => Str(At(o, "status", "nodeInfo", "kubeletVersion"))),
            Col("Internal-IP", o => NodeAddress(o, "InternalIP"), 1),
            Col("External-IP", o => NodeAddress(o, "ExternalIP"), 1),
            Col("OS-Image", o => Str(At(o, "status", "nodeInfo", "osImage"), "<unknown>"), 1),
            Col("Kernel-Version", o => Str(At(o, "status", "nodeInfo", "kernelVersion"), "<unknown>"), 1),
            Col("Container-Runtime", o => Str(At(o, "status", "nodeInfo", "containerRuntimeVersion"), "<unknown>"), 1),
        ]),
        ["Deployment"] = With(
            Col("Ready", o => $"{Int(At(o, "status", "readyReplicas"))}/{Replicas(o)}"),
            Col("Up-to-date", o => Int(At(o, "status", "updatedReplicas")), type: "integer"),
            Col("Available", o => Int(At(o, "status", "availableReplicas")), type: "integer"),
            Col("Containers", o => Names(Containers(o, "spec", "template", "spec")), 1),
            Col("Images", o => Images(Containers(o, "spec", "template", "spec")), 1),
            Col("Selector", o => LabelSelector(At(o, "spec", "selector")), 1)),
        ["StatefulSet"] = With(
            Col("Ready", o => $"{Int(At(o, "status", "readyReplicas"))}/{Replicas(o)}"),
            Col("Containers", o => Names(Containers(o, "spec", "template", "spec")), 1),
            Col("Images", o => Images(Containers(o, "spec", "template", "spec")), 1)),
        ["ReplicaSet"] = With(
            Col("Desired", o => Replicas(o), type: "integer"),
            Col("Current", o => Int(At(o, "status", "replicas")), type: "integer"),
            Col("Ready", o => Int(At(o, "status", "readyReplicas")), type: "integer"),
            Col("Containers", o => Names(Containers(o, "spec", "template", "spec")), 1),
            Col("Images", o => Images(Containers(o, "spec", "template", "spec")), 1),
            Col("Selector", o => LabelSelector(At(o, "spec", "selector")), 1)),
        ["DaemonSet"] = With(
            Col("Desired", o => Int(At(o, "status", "desiredNumberScheduled")), type: "integer"),
            Col("Current", o => Int(At(o, "status", "currentNumberScheduled")), type: "integer"),
            Col("Ready", o => Int(At(o, "status", "numberReady")), type: "integer"),
            Col("Up-to-date", o => Int(At(o, "status", "updatedNumberScheduled")), type: "integer"),
            Col("Available", o => Int(At(o, "status", "numberAvailable")), type: "integer"),
            Col("Node Selector", o => OrNone(Selector(At(o, "spec", "template", "spec", "nodeSelector")))),
            Col("Containers", o => Names(Containers(o, "spec", "template", "spec")), 1),
            Col("Images", o => Images(Containers(o, "spec", "template", "spec")), 1),
            Col("Selector", o => LabelSelector(At(o, "spec", "selector")), 1)),
        ["Job"] = With(
            Col("Status", o => JobStatus(o)),
            Col("Completions", o => $"{Int(At(o, "status", "succeeded"))}/{(At(o, "spec", "completions") is { } c ? c.ToJsonString(JsonText.Options) : "1")}"),
            new TableColumn("Duration", "string", "", "Duration", 0, JobDuration),
            Col("Containers", o => Names(Containers(o, "spec", "template", "spec")), 1),
            Col("Images", o => Images(Containers(o, "spec", "template", "spec")), 1),
            Col("Selector", o => LabelSelector(At(o, "spec", "selector")), 1)),
        ["CronJob"] = With(
            Col("Schedule", o => Str(At(o, "spec", "schedule"))),
            Col("Timezone", o => OrNone(Str(At(o, "spec", "timeZone")))),
            Col("Suspend", o => At(o, "spec", "suspend")?.ToJsonString(JsonText.Options) ?? "False"),
            Col("Active", o => Count(At(o, "status", "active")), type: "integer"),
            Col("Last Schedule", o => At(o, "status", "lastScheduleTime") is { } t ? TableConvertor.Age(t, DateTimeOffset.UtcNow) : "<none>"),
            Col("Containers", o => Names(Containers(o, "spec", "jobTemplate", "spec", "template", "spec")), 1),
            Col("Images", o => Images(Containers(o, "spec", "jobTemplate", "spec", "template", "spec")), 1)),
        ["Ingress"] = With(
            Col("Class", o => OrNone(Str(At(o, "spec", "ingressClassName")))),
            Col("Hosts", o => IngressHosts(o)),
            Col("Address", o => Str(At(o, "status", "loadBalancer", "ingress", "0", "ip"))),
            Col("Ports", o => At(o, "spec", "tls") is JsonArray { Count: > 0 } ? "80, 443" : "80")),
        ["NetworkPolicy"] = With(Col("Pod-Selector", o => PodSelector(At(o, "spec", "podSelector")))),
        ["Role"] = new([TableConvertor.NameColumn, Col("Created At", o => Str(At(o, "metadata", "creationTimestamp")), type: "date")]),
        ["ClusterRole"] = new([TableConvertor.NameColumn, Col("Created At", o => Str(At(o, "metadata", "creationTimestamp")), type: "date")]),
        ["RoleBinding"] = With(
            Col("Role", o => $"{Str(At(o, "roleRef", "kind"))}/{Str(At(o, "roleRef", "name"))}"),
            Col("Users", o => Subjects(o, "User"), 1),
            Col("Groups", o => Subjects(o, "Group"), 1),
            Col("ServiceAccounts", o => Subjects(o, "ServiceAccount"), 1)),
        ["ClusterRoleBinding"] = With(
            Col("Role", o => $"{Str(At(o, "roleRef", "kind"))}/{Str(At(o, "roleRef", "name"))}"),
            Col("Users", o => Subjects(o, "User"), 1),
            Col("Groups", o => Subjects(o, "Group"), 1),
            Col("ServiceAccounts", o => Subjects(o, "ServiceAccount"), 1)),
        ["Lease"] = With(Col("Holder", o => Str(At(o, "spec", "holderIdentity")))),
        ["HorizontalPodAutoscaler"] = With(
            Col("Reference", o => $"{Str(At(o, "spec", "scaleTargetRef", "kind"))}/{Str(At(o, "spec", "scaleTargetRef", "name"))}"),
            Col("Targets", _ => "<unknown>"),
            Col("MinPods", o => At(o, "spec", "minReplicas")?.ToJsonString(JsonText.Options) ?? "1"),
            Col("MaxPods", o => Int(At(o, "spec", "maxReplicas")), type: "integer"),
            Col("Replicas", o => Int(At(o, "status", "currentReplicas")), type: "integer")),
        ["PodDisruptionBudget"] = With(
            Col("Min Available", o => At(o, "spec", "minAvailable") is { } v ? Str(v, v.ToJsonString(JsonText.Options)) : "N/A"),
            Col("Max Unavailable", o => At(o, "spec", "maxUnavailable") is { } v ? Str(v, v.ToJsonString(JsonText.Options)) : "N/A"),
            Col("Allowed Disruptions", o => Int(At(o, "status", "disruptionsAllowed")), type: "integer")),
        ["CustomResourceDefinition"] = new([TableConvertor.NameColumn, Col("Created At", o => Str(At(o, "metadata", "creationTimestamp")), type: "date")]),
        ["Event"] = new([
            new TableColumn("Last Seen", "string", "", "Last Seen", 0, (o, now) => TableConvertor.Age(o["lastTimestamp"] ?? o["eventTime"] ?? At(o, "metadata", "creationTimestamp"), now)),
            Col("Type", o => Str(o["type"])),
            Col("Reason", o => Str(o["reason"])),
            Col("Object", o => $"{Str(At(o, "involvedObject", "kind")).ToLowerInvariant()}/{Str(At(o, "involvedObject", "name"))}"),
            Col("Subobject", o => Str(At(o, "involvedObject", "fieldPath")), 1),
            Col("Source", o => Str(At(o, "source", "component"), Str(o["reportingComponent"])), 1),
            Col("Message", o => Str(o["message"])),
            new TableColumn("First Seen", "string", "", "First Seen", 1, (o, now) => TableConvertor.Age(o["firstTimestamp"] ?? o["eventTime"], now)),
            Col("Count", o => At(o, "count") is { } c ? c.DeepClone() : 1, 1, "integer"),
            Col("Name", o => Str(At(o, "metadata", "name")), 1),
        ]),
    };

    public static TableConvertor For(string kind) => ByKind.TryGetValue(kind, out var t) ? t : TableConvertor.Default;

    private static long Replicas(JsonObject o) => At(o, "spec", "replicas") is { } r ? Int(r) : 1;

    private static string ReadinessGates(JsonObject o)
    {
        if (At(o, "spec", "readinessGates") is not JsonArray { Count: > 0 } gates)
        {
            return "<none>";
        }
        var conditions = At(o, "status", "conditions") as JsonArray ?? [];
        var met = gates.Count(g => conditions.Any(c => Str(At(c, "type")) == Str(At(g, "conditionType")) && Str(At(c, "status")) == "True"));
        return $"{met}/{gates.Count}";
    }

    private static string NodeStatus(JsonObject o)
    {
        var ready = (At(o, "status", "conditions") as JsonArray ?? []).FirstOrDefault(c => Str(At(c, "type")) == "Ready");
        var status = ready is null ? "Unknown" : Str(At(ready, "status")) switch
        {
            "True" => "Ready",
            "False" => "NotReady",
            _ => "Unknown",
        };
        return At(o, "spec", "unschedulable") is JsonValue u && u.TryGetValue<bool>(out var b) && b ? status + ",SchedulingDisabled" : status;
    }

    private static string NodeRoles(JsonObject o)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in At(o, "metadata", "labels") as JsonObject ?? [])
        {
            if (k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal) && k.Length > "node-role.kubernetes.io/".Length)
            {
                roles.Add(k["node-role.kubernetes.io/".Length..]);
            }
            else if (k == "kubernetes.io/role" && Str(v) != "")
            {
                roles.Add(Str(v));
            }
        }
        return roles.Count == 0 ? "<none>" : string.Join(",", roles);
    }

    private static string NodeAddress(JsonObject o, string type) =>
        (At(o, "status", "addresses") as JsonArray ?? []).Where(a => Str(At(a, "type")) == type).Select(a => Str(At(a, "address"))).FirstOrDefault() ?? "<none>";

    private static string ExternalIp(JsonObject o)
    {
        if (At(o, "spec", "externalIPs") is JsonArray { Count: > 0 } ips)
        {
            return string.Join(",", ips.Select(x => Str(x)));
        }
        var type = Str(At(o, "spec", "type"), "ClusterIP");
        if (type == "LoadBalancer")
        {
            return At(o, "status", "loadBalancer", "ingress") is JsonArray { Count: > 0 } ing
                ? string.Join(",", ing.Select(i => Str(At(i, "ip"), Str(At(i, "hostname")))))
                : "<pending>";
        }
        if (type == "ExternalName")
        {
            return Str(At(o, "spec", "externalName"));
        }
        return "<none>";
    }

    private static string Endpoints(JsonObject o)
    {
        var list = new List<string>();
        if (o["subsets"] is JsonArray subsets)
        {
            foreach (var s in subsets)
            {
                var ports = At(s, "ports") as JsonArray ?? [];
                foreach (var a in At(s, "addresses") as JsonArray ?? [])
                {
                    var ip = Str(At(a, "ip"));
                    if (ports.Count == 0)
                    {
                        list.Add(ip);
                    }
                    list.AddRange(ports.Select(p => $"{ip}:{At(p, "port")?.ToJsonString(JsonText.Options)}"));
                }
            }
        }
        return list.Count == 0 ? "<none>" : string.Join(",", list);
    }

    private static string AccessModes(JsonNode? modes) =>
        modes is JsonArray a ? string.Join(",", a.Select(m => Str(m) switch
        {
            "ReadWriteOnce" => "RWO",
            "ReadOnlyMany" => "ROX",
            "ReadWriteMany" => "RWX",
            "ReadWriteOncePod" => "RWOP",
            var other => other,
        })) : "";

    private static string JobStatus(JsonObject o)
    {
        if (At(o, "status", "conditions") is JsonArray conds)
        {
            foreach (var c in conds)
            {
                if (Str(At(c, "status")) == "True" && Str(At(c, "type")) is "Complete" or "Failed" or "Suspended")
                {
                    return Str(At(c, "type"));
                }
            }
        }
        return "Running";
    }

    /// <summary>From start to completion, or to now while it runs.</summary>
    private static JsonNode? JobDuration(JsonObject o, DateTimeOffset now)
    {
        static DateTimeOffset? Time(JsonNode? n) =>
            DateTimeOffset.TryParse(Str(n), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
        if (Time(At(o, "status", "startTime")) is not { } start)
        {
            return "";
        }
        return HumanAge.Format((Time(At(o, "status", "completionTime")) ?? now) - start);
    }

    private static string IngressHosts(JsonObject o)
    {
        var hosts = (At(o, "spec", "rules") as JsonArray ?? []).Select(r => Str(At(r, "host"))).Where(h => h != "").ToList();
        return hosts.Count == 0 ? "*" : string.Join(",", hosts);
    }

    private static string PodSelector(JsonNode? selector)
    {
        var s = LabelSelector(selector);
        return s == "<none>" ? "<none>" : s;
    }

    private static string Subjects(JsonObject o, string kind)
    {
        var names = (o["subjects"] as JsonArray ?? [])
            .Where(s => Str(At(s, "kind")) == kind)
            .Select(s => kind == "ServiceAccount" ? $"{Str(At(s, "namespace"))}/{Str(At(s, "name"))}" : Str(At(s, "name")))
            .ToList();
        return string.Join(", ", names);
    }

    internal static string FormatInvariant(long v) => v.ToString(CultureInfo.InvariantCulture);
}
