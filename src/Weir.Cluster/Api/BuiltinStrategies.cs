using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Weir.Cluster.Api;

/// <summary>Namespace: RFC 1123 label names, the <c>kubernetes</c> finalizer, phase Active, the name label.</summary>
public sealed class NamespaceStrategy() : BuiltinStrategy("", "v1", "Namespace", status: true)
{
    public override NameRule NameRule => NameRule.Label;

    public override void Default(JsonObject obj)
    {
        var meta = Ensure(obj, "metadata");
        Ensure(meta, "labels")["kubernetes.io/metadata.name"] = Str(meta["name"]);
        var spec = Ensure(obj, "spec");
        spec["finalizers"] ??= new JsonArray("kubernetes");
        var status = Ensure(obj, "status");
        status["phase"] ??= "Active";
    }

    public override string? FieldValue(JsonObject obj, string field) =>
        field == "status.phase" ? Str(At(obj, "status", "phase")) : null;
}

/// <summary>Service: DNS-1035 names, type/protocol defaults, a stable fake clusterIP, immutable clusterIP, ports need port.</summary>
public sealed class ServiceStrategy() : BuiltinStrategy("", "v1", "Service", status: true)
{
    private static readonly string[] Types = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];

    public override NameRule NameRule => NameRule.Dns1035Label;

    public override void Default(JsonObject obj)
    {
        var spec = Ensure(obj, "spec");
        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        if (spec["ports"] is JsonArray ports)
        {
            foreach (var p in ports.OfType<JsonObject>())
            {
                p["protocol"] ??= "TCP";
                if (p["targetPort"] is null && p["port"] is { } port)
                {
                    p["targetPort"] = port.DeepClone();
                }
            }
        }
    }

    public override void PrepareForCreate(JsonObject obj)
    {
        var spec = Ensure(obj, "spec");
        if (Str(spec["type"]) != "ExternalName" && string.IsNullOrEmpty(Str(spec["clusterIP"])))
        {
            var ns = Str(At(obj, "metadata", "namespace"));
            var name = Str(At(obj, "metadata", "name"));
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(ns + "/" + name));
            var ip = $"10.96.{hash[0]}.{Math.Max((int)hash[1], 1)}";
            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
        }
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old)
    {
        var spec = Ensure(obj, "spec");
        if (spec["clusterIP"] is null && At(old, "spec", "clusterIP") is { } ip)
        {
            spec["clusterIP"] = ip.DeepClone();
            spec["clusterIPs"] = At(old, "spec", "clusterIPs")?.DeepClone();
        }
    }

    public override IEnumerable<FieldError> Validate(JsonObject obj)
    {
        var type = At(obj, "spec", "type");
        if (type is not null && !Types.Contains(Str(type)))
        {
            yield return FieldError.NotSupported("spec.type", type, Types);
        }
        if (At(obj, "spec", "ports") is JsonArray ports)
        {
            for (var i = 0; i < ports.Count; i++)
            {
                if (At(ports[i], "port") is JsonValue pv && pv.TryGetValue<long>(out var port) && (port < 1 || port > 65535))
                {
                    yield return FieldError.Invalid($"spec.ports[{i}].port", pv, "must be between 1 and 65535, inclusive");
                }
                if (ports.Count > 1 && string.IsNullOrEmpty(Str(At(ports[i], "name"))))
                {
                    yield return FieldError.Required($"spec.ports[{i}].name");
                }
            }
        }
        else if (Str(type) != "ExternalName")
        {
            yield return FieldError.Required("spec.ports");
        }
    }

    public override IEnumerable<FieldError> ValidateUpdate(JsonObject obj, JsonObject old) => Immutable(obj, old, "spec", "clusterIP");
}

/// <summary>Deployment, StatefulSet, DaemonSet, ReplicaSet: selector required, matching the template labels, immutable.</summary>
public sealed class WorkloadStrategy(string kind, bool scale) : BuiltinStrategy("apps", "v1", kind, status: true, generation: true)
{
    public override bool HasScaleSubresource => scale;

    public override void Default(JsonObject obj)
    {
        var spec = Ensure(obj, "spec");
        if (Kind != "DaemonSet")
        {
            spec["replicas"] ??= 1;
        }
        PodSpecDefaults.Apply(At(obj, "spec", "template", "spec"), restartAlways: true);
        if (Kind == "StatefulSet")
        {
            spec["podManagementPolicy"] ??= "OrderedReady";
            spec["updateStrategy"] ??= new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 0 } };
            spec["revisionHistoryLimit"] ??= 10;
        }
        if (Kind == "DaemonSet")
        {
            spec["updateStrategy"] ??= new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = 0 } };
            spec["revisionHistoryLimit"] ??= 10;
        }
        if (Kind == "Deployment")
        {
            spec["revisionHistoryLimit"] ??= 10;
            spec["progressDeadlineSeconds"] ??= 600;
            spec["strategy"] ??= new JsonObject
            {
                ["type"] = "RollingUpdate",
                ["rollingUpdate"] = new JsonObject { ["maxSurge"] = "25%", ["maxUnavailable"] = "25%" },
            };
        }
    }

    public override IEnumerable<FieldError> Validate(JsonObject obj)
    {
        var selector = At(obj, "spec", "selector") as JsonObject;
        var labels = At(obj, "spec", "template", "metadata", "labels") as JsonObject;
        if (selector is not null)
        {
            var matchLabels = selector["matchLabels"] as JsonObject;
            var expressions = selector["matchExpressions"] as JsonArray;
            if ((matchLabels?.Count ?? 0) == 0 && (expressions?.Count ?? 0) == 0)
            {
                yield return new FieldError("spec.selector", "FieldValueInvalid", $"Invalid value: {selector.ToJsonString(JsonText.Options)}: empty selector is invalid for deployment");
            }
            else if (!SelectorMatches(matchLabels, expressions, labels))
            {
                yield return new FieldError("spec.template.metadata.labels", "FieldValueInvalid",
                    $"Invalid value: {(labels ?? []).ToJsonString(JsonText.Options)}: `selector` does not match template `labels`");
            }
        }
        if (At(obj, "spec", "template", "spec") is JsonObject podSpec && podSpec["containers"] is not JsonArray { Count: > 0 })
        {
            yield return FieldError.Required("spec.template.spec.containers");
        }
        if (At(obj, "spec", "replicas") is JsonValue r && r.TryGetValue<long>(out var n) && n < 0)
        {
            yield return FieldError.Invalid("spec.replicas", r, "must be greater than or equal to 0");
        }
    }

    public override IEnumerable<FieldError> ValidateUpdate(JsonObject obj, JsonObject old) => Immutable(obj, old, "spec", "selector");

    private static bool SelectorMatches(JsonObject? matchLabels, JsonArray? expressions, JsonObject? labels)
    {
        foreach (var (k, v) in matchLabels ?? [])
        {
            if (labels?[k] is not JsonValue lv || Str(lv) != Str(v))
            {
                return false;
            }
        }
        foreach (var e in expressions?.OfType<JsonObject>() ?? [])
        {
            var key = Str(e["key"]);
            var has = labels?.ContainsKey(key) == true;
            var value = has ? Str(labels![key]) : null;
            var values = (e["values"] as JsonArray)?.Select(x => Str(x)).ToList() ?? [];
            var ok = Str(e["operator"]) switch
            {
                "In" => has && values.Contains(value!),
                "NotIn" => !has || !values.Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>Job: a generated selector on create, and an immutable pod template.</summary>
public sealed class JobStrategy() : BuiltinStrategy("batch", "v1", "Job", status: true, generation: true)
{
    public override void Default(JsonObject obj) => PodSpecDefaults.Apply(At(obj, "spec", "template", "spec"), restartAlways: false);

    public override void PrepareForCreate(JsonObject obj)
    {
        var spec = Ensure(obj, "spec");
        if (spec["selector"] is null && Str(At(obj, "metadata", "uid")) is { Length: > 0 } uid)
        {
            spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = uid } };
            var template = Ensure(spec, "template");
            var labels = Ensure(Ensure(template, "metadata"), "labels");
            labels["batch.kubernetes.io/controller-uid"] = uid;
            labels["batch.kubernetes.io/job-name"] = Str(At(obj, "metadata", "name"));
        }
        spec["backoffLimit"] ??= 6;
        spec["completions"] ??= 1;
        spec["parallelism"] ??= 1;
    }

    public override IEnumerable<FieldError> ValidateUpdate(JsonObject obj, JsonObject old) =>
        Immutable(obj, old, "spec", "template").Concat(Immutable(obj, old, "spec", "selector"));
}

/// <summary>core/v1 Event: the field selectors <c>kubectl describe</c> uses.</summary>
public sealed class EventStrategy(string group) : BuiltinStrategy(group, "v1", "Event")
{
    private static readonly string[] InvolvedFields = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"];

    public override string? FieldValue(JsonObject obj, string field)
    {
        if (field.StartsWith("involvedObject.", StringComparison.Ordinal) && InvolvedFields.Contains(field["involvedObject.".Length..]))
        {
            return Str(At(obj, "involvedObject", field["involvedObject.".Length..]));
        }
        if (field.StartsWith("regarding.", StringComparison.Ordinal) && InvolvedFields.Contains(field["regarding.".Length..]))
        {
            return Str(At(obj, "regarding", field["regarding.".Length..]));
        }
        return field switch
        {
            "reason" or "type" or "reportingComponent" or "reportingController" => Str(obj[field]),
            "source" => Str(At(obj, "source", "component")),
            _ => null,
        };
    }
}

/// <summary>ConfigMap: <c>data</c> and <c>binaryData</c> frozen once <c>immutable</c> is set.</summary>
public sealed class ConfigMapStrategy() : BuiltinStrategy("", "v1", "ConfigMap")
{
    public override IEnumerable<FieldError> ValidateUpdate(JsonObject obj, JsonObject old) => FrozenWhenImmutable(obj, old, "data", "binaryData");
}

/// <summary>Secret: default type Opaque, <c>type</c> field selector, immutable <c>type</c>, <c>data</c> frozen once <c>immutable</c> is set.</summary>
public sealed class SecretStrategy() : BuiltinStrategy("", "v1", "Secret")
{
    public override void Default(JsonObject obj)
    {
        obj["type"] ??= "Opaque";
        if (obj["stringData"] is JsonObject plain)
        {
            var data = Ensure(obj, "data");
            foreach (var (k, v) in plain)
            {
                data[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(v)));
            }
            obj.Remove("stringData");
        }
    }

    // stringData needs no rule: defaulting has already merged it into data.
    public override IEnumerable<FieldError> ValidateUpdate(JsonObject obj, JsonObject old) =>
        Immutable(obj, old, "type").Concat(FrozenWhenImmutable(obj, old, "data"));

    public override string? FieldValue(JsonObject obj, string field) => field == "type" ? Str(obj["type"]) : null;
}

/// <summary>Pod (stored only, nothing runs): phase Pending, node/phase field selectors.</summary>
public sealed class PodStrategy() : BuiltinStrategy("", "v1", "Pod", status: true)
{
    public override void Default(JsonObject obj) => PodSpecDefaults.Apply(obj["spec"], restartAlways: true);

    public override void PrepareForCreate(JsonObject obj) => Ensure(obj, "status")["phase"] ??= "Pending";

    public override string? FieldValue(JsonObject obj, string field) => field switch
    {
        "spec.nodeName" => Str(At(obj, "spec", "nodeName")),
        "status.phase" => Str(At(obj, "status", "phase")),
        "spec.serviceAccountName" => Str(At(obj, "spec", "serviceAccountName")),
        _ => null,
    };
}

/// <summary>RBAC kinds accept any path-segment name.</summary>
public sealed class RbacStrategy(string kind) : BuiltinStrategy("rbac.authorization.k8s.io", "v1", kind)
{
    public override NameRule NameRule => NameRule.PathSegment;

    public override IEnumerable<FieldError> ValidateUpdate(JsonObject obj, JsonObject old) =>
        Kind.EndsWith("Binding", StringComparison.Ordinal) ? Immutable(obj, old, "roleRef") : [];
}
