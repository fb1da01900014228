using System.Globalization;
using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The endpoints controller: each Service with a selector gets an Endpoints object of the same name listing the pods
/// its selector matches that have an IP — ready ones under <c>addresses</c>, others under <c>notReadyAddresses</c> (all
/// under addresses with <c>publishNotReadyAddresses</c>) — with the Service's ports resolved against the pods' named
/// container ports. No such pods: no subsets, as in Kubernetes. Selectors are kept from the change feed, so a pod
/// change reconciles only the Services that select it.
/// </summary>
internal sealed class EndpointsSimulation(SimulationContext ctx)
{
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, string>>> _selectors = [];

    /// <summary>Records a Service's selector from the change feed.</summary>
    public void ObserveService(ObjectKey key, string type, string json)
    {
        if (!_selectors.TryGetValue(key.Namespace, out var services))
        {
            services = new(StringComparer.Ordinal);
            _selectors[key.Namespace] = services;
        }
        var selector = type == "DELETED" ? null : Json.At(JsonNode.Parse(json), "spec", "selector") as JsonObject;
        if (selector is null || selector.Count == 0)
        {
            services.Remove(key.Name);
            return;
        }
        services[key.Name] = selector.ToDictionary(kv => kv.Key, kv => Json.Str(kv.Value), StringComparer.Ordinal);
    }

    /// <summary>The Services whose Endpoints a pod change may alter (those selecting it before or after).</summary>
    public IEnumerable<ObjectKey> Affected(PodInfo? before, PodInfo? after)
    {
        var ns = (before ?? after)!.Namespace;
        if (!_selectors.TryGetValue(ns, out var services))
        {
            yield break;
        }
        foreach (var (name, selector) in services)
        {
            if ((before is not null && Matches(selector, before.Labels)) || (after is not null && Matches(selector, after.Labels)))
            {
                yield return new ObjectKey("", "services", ns, name);
            }
        }
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
        if (Json.At(svc, "spec", "selector") is not JsonObject { Count: > 0 } selectorJson || Json.Str(Json.At(svc, "spec", "type")) == "ExternalName")
        {
            return;
        }
        var selector = selectorJson.ToDictionary(kv => kv.Key, kv => Json.Str(kv.Value), StringComparer.Ordinal);
        var publishNotReady = Json.Bool(Json.At(svc, "spec", "publishNotReadyAddresses"));
        var pods = ctx.PodIndex.InNamespace(key.Namespace)
            .Where(p => p.Ip != "" && !p.Deleting && p.Phase is not ("Succeeded" or "Failed") && Matches(selector, p.Labels))
            .OrderBy(p => p.Ip, StringComparer.Ordinal)
            .ToList();
        var body = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = key.Name, ["namespace"] = key.Namespace },
        };
        if (Json.At(svc, "metadata", "labels") is JsonObject labels)
        {
            body["metadata"]!["labels"] = labels.DeepClone();
        }
        if (pods.Count > 0 && Ports(svc, pods) is { Count: > 0 } ports)
        {
            var subset = new JsonObject();
            var ready = pods.Where(p => publishNotReady || p.Ready).ToList();
            var notReady = pods.Where(p => !publishNotReady && !p.Ready).ToList();
            if (ready.Count > 0)
            {
                subset["addresses"] = Addresses(ready);
            }
            if (notReady.Count > 0)
            {
                subset["notReadyAddresses"] = Addresses(notReady);
            }
            subset["ports"] = ports;
            body["subsets"] = new JsonArray(subset);
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

    private JsonArray Addresses(List<PodInfo> pods)
    {
        var addresses = new JsonArray();
        foreach (var pod in pods)
        {
            addresses.Add(new JsonObject
            {
                ["ip"] = pod.Ip,
                ["nodeName"] = ctx.Options.NodeName,
                ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = pod.Namespace, ["name"] = pod.Name, ["uid"] = pod.Uid },
            });
        }
        return addresses;
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

    private static JsonArray Ports(JsonObject svc, List<PodInfo> pods)
    {
        var ports = new JsonArray();
        foreach (var p in (Json.At(svc, "spec", "ports") as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var target = p["targetPort"];
            long number;
            if (target is JsonValue v && v.TryGetValue<string>(out var named) && !long.TryParse(named, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                number = pods.SelectMany(p => p.Containers.OfType<JsonObject>())
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

    private static bool Matches(Dictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
