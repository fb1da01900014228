using System.Globalization;
using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The endpoints controller: each Service with a selector gets an Endpoints object of the same name listing the
/// ready simulated pods of the Deployments, StatefulSets and DaemonSets its selector matches (stable fake pod IPs),
/// with the Service's ports resolved against the containers' named ports. No ready pods: no subsets, as in Kubernetes.
/// </summary>
internal sealed class EndpointsSimulation(SimulationContext ctx)
{
    private readonly Dictionary<string, List<Workload>> _workloads = [];

    private sealed record Workload(string Kind, string Name, JsonNode? Template, JsonObject? Labels, long Ready);

    /// <summary>Forgets the workloads read in the previous round (each namespace's are read once per round).</summary>
    public void BeginRound() => _workloads.Clear();

    private List<Workload> Workloads(string ns)
    {
        if (_workloads.TryGetValue(ns, out var list))
        {
            return list;
        }
        list = [];
        foreach (var (type, readyField) in new[] { (ctx.Deployments, "readyReplicas"), (ctx.StatefulSets, "readyReplicas"), (ctx.DaemonSets, "numberReady") })
        {
            foreach (var stored in ctx.Registry.Store.List(type.Group, type.StorageResource, ns))
            {
                var workload = JsonNode.Parse(stored.Json) as JsonObject;
                var template = Json.At(workload, "spec", "template");
                list.Add(new Workload(type.Kind, stored.Key.Name, template, Json.At(template, "metadata", "labels") as JsonObject, Json.Int(Json.At(workload, "status", readyField))));
            }
        }
        _workloads[ns] = list;
        return list;
    }

    public void Reconcile(ObjectKey key)
    {
        var svc = ctx.Get(ctx.Services, key);
        var existing = ctx.Get(ctx.Endpoints, new ObjectKey("", "endpoints", key.Namespace, key.Name));
        if (svc is null || Json.Deleting(svc))
        {
            if (existing is not null && svc is null)
            {
                Delete(key);
            }
            return;
        }
        if (Json.At(svc, "spec", "selector") is not JsonObject { Count: > 0 } selector || Json.Str(Json.At(svc, "spec", "type")) == "ExternalName")
        {
            return;
        }
        var pods = new List<(string Pod, string Ip)>();
        var templates = new List<JsonNode?>();
        foreach (var w in Workloads(key.Namespace))
        {
            if (!Matches(selector, w.Labels))
            {
                continue;
            }
            templates.Add(w.Template);
            for (var i = 0; i < w.Ready; i++)
            {
                var pod = PodName(w.Kind, w.Name, w.Template, i);
                pods.Add((pod, FakeIp(key.Namespace + "/" + pod)));
            }
        }
        var body = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = key.Name, ["namespace"] = key.Namespace },
        };
        if (Json.At(svc, "metadata", "labels") is JsonObject labels)
        {
            body["metadata"]!["labels"] = labels.DeepClone();
        }
        if (pods.Count > 0 && Ports(svc, templates) is { Count: > 0 } ports)
        {
            var addresses = new JsonArray();
            foreach (var (pod, ip) in pods.OrderBy(p => p.Ip, StringComparer.Ordinal))
            {
                addresses.Add(new JsonObject
                {
                    ["ip"] = ip,
                    ["nodeName"] = ctx.Options.NodeName,
                    ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = key.Namespace, ["name"] = pod, ["uid"] = PodTemplateHash.Uid(key.Namespace + "/" + pod) },
                });
            }
            body["subsets"] = new JsonArray(new JsonObject { ["addresses"] = addresses, ["ports"] = ports });
        }
        if (existing is null)
        {
            ctx.Create(ctx.Endpoints, key.Namespace, body);
            return;
        }
        if (JsonNode.DeepEquals(existing["subsets"], body["subsets"]) && JsonNode.DeepEquals(Json.At(existing, "metadata", "labels"), Json.At(body, "metadata", "labels")))
        {
            return;
        }
        var update = (JsonObject)existing.DeepClone();
        update["subsets"] = body["subsets"]?.DeepClone();
        if (update["subsets"] is null)
        {
            update.Remove("subsets");
        }
        var meta = (JsonObject)update["metadata"]!;
        meta["labels"] = Json.At(body, "metadata", "labels")?.DeepClone();
        if (meta["labels"] is null)
        {
            meta.Remove("labels");
        }
        ctx.Update(ctx.Endpoints, update);
    }

    private void Delete(ObjectKey key)
    {
        try
        {
            ctx.Registry.Delete(ctx.Endpoints, key.Namespace, key.Name, new DeleteOptions());
        }
        catch (ApiException)
        {
            // Already gone.
        }
    }

    private static JsonArray Ports(JsonObject svc, List<JsonNode?> templates)
    {
        var ports = new JsonArray();
        foreach (var p in (Json.At(svc, "spec", "ports") as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var target = p["targetPort"];
            long number;
            if (target is JsonValue v && v.TryGetValue<string>(out var named) && !long.TryParse(named, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                number = templates.SelectMany(t => (Json.At(t, "spec", "containers") as JsonArray)?.OfType<JsonObject>() ?? [])
                    .SelectMany(c => (c["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
                    .Where(cp => Json.Str(cp["name"]) == named).Select(cp => Json.Int(cp["containerPort"])).FirstOrDefault();
                if (number == 0)
                {
                    continue;
                }
            }
            else
            {
                number = target is null ? Json.Int(p["port"]) : Json.Int(target);
            }
            var port = new JsonObject();
            if (Json.Str(p["name"]) is { Length: > 0 } name)
            {
                port["name"] = name;
            }
            port["port"] = number;
            port["protocol"] = Json.Str(p["protocol"]) is { Length: > 0 } protocol ? protocol : "TCP";
            if (p["appProtocol"] is { } app)
            {
                port["appProtocol"] = app.DeepClone();
            }
            ports.Add(port);
        }
        return ports;
    }

    private static bool Matches(JsonObject selector, JsonObject? labels) =>
        labels is not null && selector.All(kv => labels[kv.Key] is JsonValue v && Json.Str(v) == Json.Str(kv.Value));

    private static string PodName(string kind, string name, JsonNode? template, int index) => kind switch
    {
        "StatefulSet" => $"{name}-{index}",
        "DaemonSet" => $"{name}-{PodTemplateHash.Suffix(PodTemplateHash.Of(template))}",
        _ => ReplicaSetSimulation.PodName($"{name}-{PodTemplateHash.Of(template)}", index),
    };

    private static string FakeIp(string seed)
    {
        var h = PodTemplateHash.Fnv(seed);
        return string.Create(CultureInfo.InvariantCulture, $"10.244.{(h >> 8) & 0xff}.{Math.Max(2, h & 0xff)}");
    }
}
