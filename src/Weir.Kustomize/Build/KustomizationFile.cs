using System.Text.Json.Nodes;
using Weir.Kustomize.Loading;
using Weir.Kustomize.Yaml;

namespace Weir.Kustomize.Build;

/// <summary>A loaded kustomization.yaml (or .yml, or Kustomization), with legacy fields folded into current ones.</summary>
public sealed class KustomizationFile
{
    public static readonly string[] FileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    private static readonly HashSet<string> KnownFields =
    [
        "apiVersion", "kind", "metadata", "resources", "bases", "components", "crds", "configMapGenerator", "secretGenerator",
        "generatorOptions", "namespace", "namePrefix", "nameSuffix", "labels", "commonLabels", "commonAnnotations", "images",
        "imageTags", "replicas", "patches", "patchesStrategicMerge", "patchesJson6902", "replacements", "vars", "openapi",
        "sortOptions", "buildMetadata", "configurations", "generators", "transformers", "validators", "helmCharts",
        "helmGlobals", "helmChartInflationGenerator",
    ];

    public KustomizationFile(JsonObject doc, string fileName)
    {
        Doc = doc;
        FileName = fileName;
    }

    public JsonObject Doc { get; }

    public string FileName { get; }

    public string Kind => Doc["kind"]?.ToString() ?? "Kustomization";

    public static KustomizationFile? TryLoad(FileLoader loader) => Find(loader) is { } name ? Load(loader, name) : null;

    public static string? Find(FileLoader loader)
    {
        var found = FileNames.Where(loader.IsFile).ToList();
        if (found.Count > 1)
        {
            throw new KustomizeException($"Found multiple kustomization files under: {loader.Root}");
        }

        return found.Count == 1 ? found[0] : null;
    }

    public static KustomizationFile Load(FileLoader loader, string fileName)
    {
        var path = Path.Combine(loader.Root, fileName);
        var docs = YamlText.ParseAllSigsYaml(loader.ReadText(fileName), path);
        if (docs.Count == 0 || docs[0] is not JsonObject doc || doc.Count == 0)
        {
            throw new KustomizeException($"kustomization file {path} is empty");
        }

        if (docs.Count > 1)
        {
            throw new KustomizeException($"{path}: a kustomization file must hold a single YAML document");
        }

        foreach (var (key, value) in doc.ToList())
        {
            if (KnownFields.Contains(key))
            {
                continue;
            }

            // Go's JSON decoding matches field names case-insensitively.
            var canonical = KnownFields.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
                ?? throw new KustomizeException($"invalid Kustomization: {path}: unknown field \"{key}\"");
            doc.Remove(key);
            doc[canonical] = value;
        }

        if (doc.All(p => p.Key is "apiVersion" or "kind"))
        {
            throw new KustomizeException($"kustomization file {path} is empty");
        }

        var kind = doc["kind"]?.ToString() ?? "";
        if (kind.Length > 0 && kind is not ("Kustomization" or "Component"))
        {
            throw new KustomizeException($"{path}: kind '{kind}' is neither Kustomization nor Component");
        }

        if (doc["helmCharts"] is not null || doc["helmChartInflationGenerator"] is not null)
        {
            throw new KustomizeException($"{path}: helmCharts is not supported by Weir's kustomize engine yet (no Helm engine)");
        }

        if (doc["validators"] is JsonArray { Count: > 0 })
        {
            throw new KustomizeException($"{path}: validators (plugins) are not supported: Weir does not run exec or container plugins");
        }

        if (doc["sortOptions"] is JsonObject sort)
        {
            var order = sort["order"]?.ToString();
            if (order is not ("fifo" or "legacy"))
            {
                throw new KustomizeException($"{path}: the field 'sortOptions.order' must be one of [fifo, legacy]");
            }

            if (order == "fifo" && sort["legacySortOptions"] is not null)
            {
                throw new KustomizeException($"{path}: the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo'");
            }
        }

        FixLegacy(doc);
        return new KustomizationFile(doc, fileName);
    }

    private static void FixLegacy(JsonObject doc)
    {
        if (doc["bases"] is JsonArray bases)
        {
            var resources = doc["resources"] as JsonArray ?? [];
            foreach (var b in bases)
            {
                resources.Add(b?.DeepClone());
            }

            doc["resources"] = resources.Parent is null ? resources : resources.DeepClone();
            doc.Remove("bases");
        }

        if (doc["imageTags"] is JsonArray tags)
        {
            var images = doc["images"] as JsonArray ?? [];
            foreach (var t in tags)
            {
                images.Add(t?.DeepClone());
            }

            doc["images"] = images.Parent is null ? images : images.DeepClone();
            doc.Remove("imageTags");
        }
    }

    public List<string> Strings(string field) => Doc[field] is JsonArray a ? a.Select(x => x?.ToString() ?? "").ToList() : [];

    public List<JsonObject> Objects(string field) => Doc[field] is JsonArray a ? a.OfType<JsonObject>().ToList() : [];

    public string String(string field) => Doc[field] is JsonValue v ? v.ToString() : "";

    public Dictionary<string, string?> Map(string field)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (Doc[field] is JsonObject o)
        {
            foreach (var (k, v) in o)
            {
                result[k] = v is null ? null : FieldText(v);
            }
        }

        return result;
    }

    internal static string FieldText(JsonNode v) => v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v.ToJsonString();
}
