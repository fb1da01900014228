using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Weir.Helm.Charts;

/// <summary>A dependency entry of Chart.yaml (or of requirements.yaml for apiVersion v1 charts).</summary>
public sealed partial class ChartDependency
{
    public string Name { get; set; } = "";

    public string Version { get; set; } = "";

    public string Repository { get; set; } = "";

    public string Condition { get; set; } = "";

    public List<string> Tags { get; set; } = [];

    /// <summary>Whether the chart is rendered; computed from conditions and tags while values are processed.</summary>
    public bool Enabled { get; set; }

    /// <summary>Entries as written: a string (a key under the child's <c>exports</c>) or a <c>{child, parent}</c> map.</summary>
    public List<JsonNode?> ImportValues { get; set; } = [];

    public string Alias { get; set; } = "";

    internal static ChartDependency Read(GoJsonFields f) => new()
    {
        Name = f.String("name") ?? "",
        Version = f.String("version") ?? "",
        Repository = f.String("repository") ?? "",
        Condition = f.String("condition") ?? "",
        Tags = f.Strings("tags") ?? [],
        Enabled = f.Bool("enabled") ?? false,
        ImportValues = f.Anys("import-values") ?? [],
        Alias = f.String("alias") ?? "",
    };

    internal void Validate()
    {
        Name = ChartMetadata.Sanitize(Name);
        Version = ChartMetadata.Sanitize(Version);
        Repository = ChartMetadata.Sanitize(Repository);
        Condition = ChartMetadata.Sanitize(Condition);
        Tags = Tags.Select(ChartMetadata.Sanitize).ToList();
        if (Alias.Length > 0 && !AliasFormat().IsMatch(Alias))
        {
            throw new ChartValidationException($"dependency {ChartMetadata.Quote(Name)} has disallowed characters in the alias");
        }
    }

    public ChartDependency Copy()
    {
        var copy = (ChartDependency)MemberwiseClone();
        copy.Tags = [.. Tags];
        copy.ImportValues = [.. ImportValues];
        return copy;
    }

    public JsonObject ToJson()
    {
        var o = new JsonObject { ["name"] = Name };
        ChartMetadata.AddString(o, "version", Version);
        o["repository"] = Repository;
        ChartMetadata.AddString(o, "condition", Condition);
        ChartMetadata.AddStrings(o, "tags", Tags);
        if (Enabled)
        {
            o["enabled"] = true;
        }

        if (ImportValues.Count > 0)
        {
            o["import-values"] = new JsonArray(ImportValues.Select(v => v?.DeepClone()).ToArray());
        }

        ChartMetadata.AddString(o, "alias", Alias);
        return o;
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex AliasFormat();
}

/// <summary>Chart.lock (or requirements.lock): the resolved dependencies.</summary>
public sealed class ChartLock
{
    /// <summary>The <c>generated</c> timestamp as written.</summary>
    public string Generated { get; set; } = "";

    public string Digest { get; set; } = "";

    public List<ChartDependency?> Dependencies { get; set; } = [];

    internal static ChartLock Read(JsonNode? document, string file)
    {
        var lockFile = new ChartLock();
        if (document is null)
        {
            return lockFile;
        }

        try
        {
            var f = GoJsonFields.Open(document, "Lock", "chart.Lock");
            lockFile.Generated = f.TryGet("generated", out var g) && g is not null ? g.ToString() : "";
            lockFile.Digest = f.String("digest") ?? "";
            lockFile.Dependencies = f.Structs("dependencies", "Dependency", "*chart.Dependency", ChartDependency.Read) ?? [];
        }
        catch (ChartException e)
        {
            throw new ChartException($"cannot load {file}: {e.Message}", e);
        }

        return lockFile;
    }

    public JsonObject ToJson() => new()
    {
        ["generated"] = Generated.Length > 0 ? Generated : "0001-01-01T00:00:00Z",
        ["digest"] = Digest,
        ["dependencies"] = new JsonArray(Dependencies.Select(d => (JsonNode?)d?.ToJson()).ToArray()),
    };
}
