using System.Text.Json.Nodes;

namespace Weir.Cluster.Printing;

/// <summary>One column of a meta.k8s.io/v1 Table and how to compute its cell from an object.</summary>
public sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell);

/// <summary>Turns objects into a meta.k8s.io/v1 Table (server-side printing for <c>kubectl get</c>).</summary>
public sealed class TableConvertor(IReadOnlyList<TableColumn> columns)
{
    public const string NameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    public const string AgeDescription = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    public static TableColumn NameColumn { get; } =
        new("Name", "string", "name", NameDescription, 0, (o, _) => o["metadata"]?["name"]?.DeepClone());

    public static TableColumn AgeColumn { get; } =
        new("Age", "date", "", AgeDescription, 0, (o, now) => Age(o["metadata"]?["creationTimestamp"], now));

    /// <summary>NAME AGE: what kinds without their own columns print.</summary>
    public static TableConvertor Default { get; } = new([NameColumn, AgeColumn]);

    public IReadOnlyList<TableColumn> Columns { get; } = columns;

    public static JsonNode? Age(JsonNode? timestamp, DateTimeOffset now) =>
        timestamp is JsonValue v && v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? HumanAge.Since(t, now)
            : "<unknown>";

    public JsonObject ToTable(IEnumerable<JsonObject> objects, string includeObject, string resourceVersion, string? continueToken, bool withColumns = true)
    {
        var now = DateTimeOffset.UtcNow;
        var meta = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (!string.IsNullOrEmpty(continueToken))
        {
            meta["continue"] = continueToken;
        }
        var table = new JsonObject { ["kind"] = "Table", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = meta };
        if (withColumns)
        {
            var defs = new JsonArray();
            foreach (var c in Columns)
            {
                defs.Add(new JsonObject
                {
                    ["name"] = c.Name,
                    ["type"] = c.Type,
                    ["format"] = c.Format,
                    ["description"] = c.Description,
                    ["priority"] = c.Priority,
                });
            }
            table["columnDefinitions"] = defs;
        }
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray();
            foreach (var c in Columns)
            {
                JsonNode? cell;
                try
                {
                    cell = c.Cell(obj, now);
                }
                catch (Exception e) when (e is InvalidOperationException or FormatException)
                {
                    cell = null;
                }
                cells.Add(cell);
            }
            var row = new JsonObject { ["cells"] = cells };
            switch (includeObject)
            {
                case "None":
                    break;
                case "Object":
                    row["object"] = obj.DeepClone();
                    break;
                default:
                    row["object"] = PartialMetadata(obj);
                    break;
            }
            rows.Add(row);
        }
        table["rows"] = rows;
        return table;
    }

    public static JsonObject PartialMetadata(JsonObject obj)
    {
        var metadata = new JsonObject();
        if (obj["metadata"] is JsonObject source)
        {
            foreach (var (k, v) in source)
            {
                if (k != "managedFields")
                {
                    metadata[k] = v?.DeepClone();
                }
            }
        }
        return new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = metadata };
    }
}
