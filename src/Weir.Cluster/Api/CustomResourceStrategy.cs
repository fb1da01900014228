using System.Text.Json.Nodes;
using Weir.Cluster.Printing;
using Weir.Cluster.Schema;
using Weir.Core.Api.Defaults;

namespace Weir.Cluster.Api;

/// <summary>
/// Objects of one served version of a CustomResourceDefinition: structural schema with its defaults and validation
/// rules, subresources, printer columns.
/// </summary>
public sealed class CustomResourceStrategy : ResourceStrategy
{
    private readonly bool _status;
    private readonly bool _scale;

    /// <param name="version">One entry of the CRD's <c>spec.versions</c>.</param>
    /// <param name="schemaRevision">The CRD's resourceVersion: objects stored before it may lack defaults its schema now has.</param>
    public CustomResourceStrategy(JsonObject version, long schemaRevision = 0)
    {
        _status = At(version, "subresources", "status") is not null;
        _scale = At(version, "subresources", "scale") is not null;
        if (At(version, "schema", "openAPIV3Schema") is JsonObject schema)
        {
            Schema = new SchemaBinding(schema, new SchemaOptions { Resolve = _ => null }, ["apiVersion", "kind", "metadata"])
            {
                ApplyDefaults = SchemaDefaulter.HasDefaults(schema),
                Rules = SchemaRules.For(schema),
            };
            SchemaRevision = schemaRevision;
        }
        Table = BuildTable(version["additionalPrinterColumns"] as JsonArray);
        ScaleSpecPath = Str(At(version, "subresources", "scale", "specReplicasPath"));
        ScaleStatusPath = Str(At(version, "subresources", "scale", "statusReplicasPath"));
    }

    public override bool HasStatusSubresource => _status;

    public override bool HasScaleSubresource => _scale;

    public override bool TracksGeneration => true;

    public override bool AcceptsStrategicMerge => false;

    public override SchemaBinding? Schema { get; }

    /// <summary>
    /// Whether a stored object (by its resourceVersion) was written before the CRD last changed and so needs the
    /// schema's defaults applied as it is read, as the API server defaults what it reads from storage.
    /// </summary>
    public bool DefaultsOnRead(long resourceVersion) => Schema is { ApplyDefaults: true } && resourceVersion < SchemaRevision;

    /// <summary>The CRD's resourceVersion when this version's schema last changed (as far as this server has seen).</summary>
    public long SchemaRevision { get; }

    /// <summary>Applies the schema's defaults to an object read from storage.</summary>
    public void DefaultStored(JsonObject obj)
    {
        if (Schema is { ApplyDefaults: true } schema)
        {
            SchemaDefaulter.Apply(obj, schema.Root);
        }
    }

    public override TableConvertor Table { get; }

    public string ScaleSpecPath { get; }

    public string ScaleStatusPath { get; }

    private static TableConvertor BuildTable(JsonArray? columns)
    {
        if (columns is null || columns.Count == 0)
        {
            return TableConvertor.Default;
        }
        var list = new List<TableColumn> { TableConvertor.NameColumn };
        foreach (var c in columns.OfType<JsonObject>())
        {
            var type = Str(c["type"]);
            var path = JsonPathExpression.Parse(Str(c["jsonPath"]));
            var priority = c["priority"] is JsonValue p && p.TryGetValue<int>(out var pr) ? pr : 0;
            list.Add(new TableColumn(Str(c["name"]), type, Str(c["format"]), Str(c["description"]), priority, (o, now) => Cell(path, type, o, now)));
        }
        return new TableConvertor(list);
    }

    private static JsonNode? Cell(JsonPathExpression path, string type, JsonObject obj, DateTimeOffset now)
    {
        var results = path.Evaluate(obj);
        if (results.Count == 0)
        {
            return null;
        }
        if (results.Count > 1)
        {
            return string.Join(",", results.Select(Text));
        }
        var value = results[0];
        return type switch
        {
            "date" => TableConvertor.Age(value, now),
            "integer" or "number" or "boolean" => value is JsonValue ? value.DeepClone() : Text(value),
            _ => Text(value),
        };
    }

    private static string Text(JsonNode n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n.ToJsonString(JsonText.Options);
}

/// <summary>CustomResourceDefinition itself: validates its spec and reports it NamesAccepted and Established at once.</summary>
public sealed class CrdStrategy() : BuiltinStrategy("apiextensions.k8s.io", "v1", "CustomResourceDefinition", status: true, generation: true)
{
    public override void Default(JsonObject obj)
    {
        var spec = Ensure(obj, "spec");
        var names = Ensure(spec, "names");
        if (names["singular"] is null && names["kind"] is JsonValue kind)
        {
            names["singular"] = Str(kind).ToLowerInvariant();
        }
        names["listKind"] ??= Str(names["kind"]) + "List";
        if (spec["conversion"] is null)
        {
            spec["conversion"] = new JsonObject { ["strategy"] = "None" };
        }
    }

    public override IEnumerable<FieldError> Validate(JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var group = Str(spec["group"]);
        var plural = Str(At(spec, "names", "plural"));
        var name = Str(At(obj, "metadata", "name"));
        if (group == "")
        {
            yield return FieldError.Required("spec.group");
        }
        else if (!group.Contains('.'))
        {
            yield return FieldError.Invalid("spec.group", group, "should be a domain with at least one dot");
        }
        if (plural == "")
        {
            yield return FieldError.Required("spec.names.plural");
        }
        if (Str(At(spec, "names", "kind")) == "")
        {
            yield return FieldError.Required("spec.names.kind");
        }
        if (plural != "" && group != "" && name != $"{plural}.{group}")
        {
            yield return FieldError.Invalid("metadata.name", name, $"must be spec.names.plural+\".\"+spec.group");
        }
        var scope = spec["scope"];
        if (Str(scope) is not ("Namespaced" or "Cluster"))
        {
            yield return FieldError.NotSupported("spec.scope", scope, ["Cluster", "Namespaced"]);
        }
        var versions = spec["versions"] as JsonArray ?? [];
        if (versions.Count == 0)
        {
            yield return FieldError.Required("spec.versions", "must have exactly one version marked as storage version");
        }
        else if (versions.Count(v => At(v, "storage") is JsonValue s && s.TryGetValue<bool>(out var b) && b) != 1)
        {
            yield return FieldError.Invalid("spec.versions", versions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "must have exactly one version marked as storage version");
        }
        foreach (var error in CrdRuleChecks.Check(spec))
        {
            yield return error;
        }
    }

    public override IEnumerable<FieldError> ValidateUpdate(JsonObject obj, JsonObject old) =>
        Immutable(obj, old, "spec", "scope").Concat(Immutable(obj, old, "spec", "group"));

    public override void PrepareForCreate(JsonObject obj) => SetStatus(obj, null);

    public override void PrepareForUpdate(JsonObject obj, JsonObject old) => SetStatus(obj, old);

    private static void SetStatus(JsonObject obj, JsonObject? old)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var status = new JsonObject { ["acceptedNames"] = spec["names"]?.DeepClone() };
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var since = At(old, "status", "conditions", "0", "lastTransitionTime")?.DeepClone() ?? now;
        status["conditions"] = new JsonArray(
            Condition("NamesAccepted", "NoConflicts", "no conflicts found", since.DeepClone()),
            Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", since.DeepClone()));
        var stored = new List<string>();
        if (At(old, "status", "storedVersions") is JsonArray prev)
        {
            stored.AddRange(prev.Select(p => Str(p)));
        }
        foreach (var v in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (v["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b && !stored.Contains(Str(v["name"])))
            {
                stored.Add(Str(v["name"]));
            }
        }
        status["storedVersions"] = new JsonArray([.. stored.Select(s => (JsonNode)JsonValue.Create(s))]);
        obj["status"] = status;
    }

    private static JsonObject Condition(string type, string reason, string message, JsonNode? since) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = since,
        ["reason"] = reason,
        ["message"] = message,
    };
}
