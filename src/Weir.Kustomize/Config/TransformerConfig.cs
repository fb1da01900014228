using System.Text.Json.Nodes;

namespace Weir.Kustomize.Config;

/// <summary>
/// The field specs each built-in transformer uses: kustomize's defaults, extended by <c>configurations:</c> files
/// and by <c>crds:</c>.
/// </summary>
public sealed class TransformerConfig
{
    public List<FieldSpec> NamePrefix { get; } = [];
    public List<FieldSpec> NameSuffix { get; } = [];
    public List<FieldSpec> Namespace { get; } = [];
    public List<FieldSpec> CommonLabels { get; } = [];
    public List<FieldSpec> TemplateLabels { get; } = [];
    public List<FieldSpec> CommonAnnotations { get; } = [];
    public List<FieldSpec> Images { get; } = [];
    public List<FieldSpec> Replicas { get; } = [];
    public List<FieldSpec> VarReference { get; } = [];
    public List<NameBackReference> NameReference { get; } = [];

    private static readonly Lazy<TransformerConfig> DefaultConfig = new(ParseDefaults);

    /// <summary>A fresh copy of kustomize's defaults.</summary>
    public static TransformerConfig Default()
    {
        var copy = new TransformerConfig();
        copy.Merge(DefaultConfig.Value);
        return copy;
    }

    public static TransformerConfig Empty() => new();

    public List<FieldSpec> Section(string name) => name switch
    {
        "namePrefix" => NamePrefix,
        "nameSuffix" => NameSuffix,
        "namespace" => Namespace,
        "commonLabels" => CommonLabels,
        "templateLabels" => TemplateLabels,
        "commonAnnotations" => CommonAnnotations,
        "images" => Images,
        "replicas" => Replicas,
        "varReference" => VarReference,
        _ => [],
    };

    private static readonly string[] SectionNames =
        ["namePrefix", "nameSuffix", "namespace", "commonLabels", "templateLabels", "commonAnnotations", "images", "replicas", "varReference"];

    /// <summary>Adds the other config's specs that are not present yet.</summary>
    public void Merge(TransformerConfig other)
    {
        foreach (var name in SectionNames)
        {
            AddUnique(Section(name), other.Section(name));
        }

        foreach (var back in other.NameReference)
        {
            AddBackReference(back);
        }
    }

    public void AddBackReference(NameBackReference back)
    {
        var existing = NameReference.FirstOrDefault(n => n.Group == back.Group && n.Version == back.Version && n.Kind == back.Kind);
        if (existing is null)
        {
            NameReference.Add(back with { Referrers = [.. back.Referrers] });
        }
        else
        {
            AddUnique(existing.Referrers, back.Referrers);
        }
    }

    private static void AddUnique(List<FieldSpec> into, IEnumerable<FieldSpec> specs)
    {
        foreach (var s in specs)
        {
            if (!into.Contains(s))
            {
                into.Add(s);
            }
        }
    }

    /// <summary>Reads a <c>configurations:</c> file (already parsed).</summary>
    public static TransformerConfig FromJson(JsonObject doc)
    {
        var config = new TransformerConfig();
        foreach (var name in SectionNames)
        {
            config.Section(name).AddRange(FieldSpec.ListFromJson(doc[name]));
        }

        if (doc["nameReference"] is JsonArray refs)
        {
            foreach (var r in refs.OfType<JsonObject>())
            {
                config.AddBackReference(new NameBackReference(Str(r, "group"), Str(r, "version"), Str(r, "kind"), FieldSpec.ListFromJson(r["fieldSpecs"])));
            }
        }

        return config;
    }

    private static string Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static TransformerConfig ParseDefaults()
    {
        var config = new TransformerConfig();
        NameBackReference? current = null;
        foreach (var raw in DefaultFieldSpecs.Table.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var parts = line.Trim().Split(' ');
            static string Any(string s) => s == "-" ? "" : s;
            if (parts[0] == "ref")
            {
                current = new NameBackReference(Any(parts[1]), Any(parts[2]), parts[3], []);
                config.NameReference.Add(current);
            }
            else if (line.StartsWith(' '))
            {
                current!.Referrers.Add(new FieldSpec(Any(parts[0]), Any(parts[1]), Any(parts[2]), parts[3], parts[4] == "c"));
            }
            else
            {
                config.Section(parts[0]).Add(new FieldSpec(Any(parts[1]), Any(parts[2]), Any(parts[3]), parts[4], parts[5] == "c"));
            }
        }

        return config;
    }
}
