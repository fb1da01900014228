using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Versioning;

namespace Weir.Helm.Charts;

/// <summary>Chart.yaml: the fields of Helm's chart metadata (API versions v1 and v2).</summary>
public sealed class ChartMetadata
{
    public const string ApiVersionV1 = "v1";
    public const string ApiVersionV2 = "v2";

    public string Name { get; set; } = "";

    public string Home { get; set; } = "";

    public List<string> Sources { get; set; } = [];

    public string Version { get; set; } = "";

    public string Description { get; set; } = "";

    public List<string> Keywords { get; set; } = [];

    public List<ChartMaintainer?> Maintainers { get; set; } = [];

    public string Icon { get; set; } = "";

    public string ApiVersion { get; set; } = "";

    public string Condition { get; set; } = "";

    public string Tags { get; set; } = "";

    public string AppVersion { get; set; } = "";

    public bool Deprecated { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public string KubeVersion { get; set; } = "";

    /// <summary>The declared dependencies; null when Chart.yaml declares none (not even an empty list).</summary>
    public List<ChartDependency?>? Dependencies { get; set; }

    public string Type { get; set; } = "";

    public bool IsLibrary => string.Equals(Type, "library", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fills fields from a decoded Chart.yaml (or requirements.yaml, which only sets dependencies), as Go's json.Unmarshal does.</summary>
    public void ReadFrom(JsonNode? document)
    {
        if (document is null)
        {
            return;
        }

        var f = GoJsonFields.Open(document, "Metadata", "chart.Metadata");
        Name = f.String("name") ?? Name;
        Home = f.String("home") ?? Home;
        Sources = f.Strings("sources") ?? Sources;
        Version = f.String("version") ?? Version;
        Description = f.String("description") ?? Description;
        Keywords = f.Strings("keywords") ?? Keywords;
        Maintainers = f.Structs("maintainers", "Maintainer", "*chart.Maintainer", ChartMaintainer.Read) ?? Maintainers;
        Icon = f.String("icon") ?? Icon;
        ApiVersion = f.String("apiVersion") ?? ApiVersion;
        Condition = f.String("condition") ?? Condition;
        Tags = f.String("tags") ?? Tags;
        AppVersion = f.String("appVersion") ?? AppVersion;
        Deprecated = f.Bool("deprecated") ?? Deprecated;
        Annotations = f.StringMap("annotations") ?? Annotations;
        KubeVersion = f.String("kubeVersion") ?? KubeVersion;
        Dependencies = f.Structs("dependencies", "Dependency", "*chart.Dependency", ChartDependency.Read) ?? Dependencies;
        Type = f.String("type") ?? Type;
    }

    /// <summary>Helm's metadata validation, which also replaces unprintable characters in text fields.</summary>
    /// <exception cref="ChartValidationException">The metadata breaks a rule.</exception>
    public void Validate()
    {
        Name = Sanitize(Name);
        Description = Sanitize(Description);
        Home = Sanitize(Home);
        Icon = Sanitize(Icon);
        Condition = Sanitize(Condition);
        Tags = Sanitize(Tags);
        AppVersion = Sanitize(AppVersion);
        KubeVersion = Sanitize(KubeVersion);
        Sources = Sources.Select(Sanitize).ToList();
        Keywords = Keywords.Select(Sanitize).ToList();

        if (ApiVersion.Length == 0)
        {
            throw new ChartValidationException("chart.metadata.apiVersion is required");
        }

        if (Name.Length == 0)
        {
            throw new ChartValidationException("chart.metadata.name is required");
        }

        if (Name is "." or "..")
        {
            throw new ChartValidationException($"chart.metadata.name {Quote(Name)} is not allowed");
        }

        if (Name.Contains('/'))
        {
            throw new ChartValidationException($"chart.metadata.name {Quote(Name)} is invalid");
        }

        if (Version.Length == 0)
        {
            throw new ChartValidationException("chart.metadata.version is required");
        }

        if (!LooseVersion.TryParse(Version, out _, out _))
        {
            throw new ChartValidationException($"chart.metadata.version {Quote(Version)} is invalid");
        }

        if (Type is not ("" or "application" or "library"))
        {
            throw new ChartValidationException("chart.metadata.type must be application or library");
        }

        foreach (var m in Maintainers)
        {
            if (m is null)
            {
                throw new ChartValidationException("maintainers must not contain empty or null nodes");
            }

            m.Sanitize();
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in Dependencies ?? [])
        {
            if (d is null)
            {
                throw new ChartValidationException("dependencies must not contain empty or null nodes");
            }

            d.Validate();
            var key = d.Alias.Length > 0 ? d.Alias : d.Name;
            if (!seen.Add(key))
            {
                throw new ChartValidationException($"more than one dependency with name or alias {Quote(key)}");
            }
        }
    }

    /// <summary>A copy whose dependency entries can change without touching this one.</summary>
    public ChartMetadata Copy()
    {
        var copy = (ChartMetadata)MemberwiseClone();
        copy.Dependencies = Dependencies?.Select(d => d?.Copy()).ToList();
        return copy;
    }

    /// <summary>The metadata as Helm's JSON (release records, the OCI config blob): Go's field tags with omitempty.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        AddString(o, "name", Name);
        AddString(o, "home", Home);
        AddStrings(o, "sources", Sources);
        AddString(o, "version", Version);
        AddString(o, "description", Description);
        AddStrings(o, "keywords", Keywords);
        if (Maintainers.Count > 0)
        {
            o["maintainers"] = new JsonArray(Maintainers.Select(m => (JsonNode?)m?.ToJson()).ToArray());
        }

        AddString(o, "icon", Icon);
        AddString(o, "apiVersion", ApiVersion);
        AddString(o, "condition", Condition);
        AddString(o, "tags", Tags);
        AddString(o, "appVersion", AppVersion);
        if (Deprecated)
        {
            o["deprecated"] = true;
        }

        if (Annotations is { Count: > 0 })
        {
            var a = new JsonObject();
            foreach (var key in Annotations.Keys.Order(StringComparer.Ordinal))
            {
                a[key] = Annotations[key];
            }

            o["annotations"] = a;
        }

        AddString(o, "kubeVersion", KubeVersion);
        if (Dependencies is { Count: > 0 })
        {
            o["dependencies"] = new JsonArray(Dependencies.Select(d => (JsonNode?)d?.ToJson()).ToArray());
        }

        AddString(o, "type", Type);
        return o;
    }

    internal static void AddString(JsonObject o, string key, string value)
    {
        if (value.Length > 0)
        {
            o[key] = value;
        }
    }

    internal static void AddStrings(JsonObject o, string key, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            o[key] = new JsonArray(values.Select(v => (JsonNode?)v).ToArray());
        }
    }

    /// <summary>Go's %q for the short texts validation messages quote.</summary>
    internal static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    /// <summary>Helm's sanitizeString: whitespace becomes a space, unprintable characters are dropped.</summary>
    internal static string Sanitize(string s)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < s.Length; i++)
        {
            var rune = Rune.GetRuneAt(s, i);
            var text = rune.ToString();
            string? replacement = Rune.IsWhiteSpace(rune) ? (text == " " ? null : " ")
                : IsPrintable(rune) ? null : "";
            if (replacement is not null && sb is null)
            {
                sb = new StringBuilder(s.Length).Append(s, 0, i);
            }

            sb?.Append(replacement ?? text);
            if (rune.Utf16SequenceLength == 2)
            {
                i++;
            }
        }

        return sb?.ToString() ?? s;
    }

    private static bool IsPrintable(Rune r) =>
        Rune.GetUnicodeCategory(r) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
}

/// <summary>A maintainer entry of Chart.yaml.</summary>
public sealed class ChartMaintainer
{
    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public string Url { get; set; } = "";

    internal static ChartMaintainer Read(GoJsonFields f) =>
        new() { Name = f.String("name") ?? "", Email = f.String("email") ?? "", Url = f.String("url") ?? "" };

    internal void Sanitize()
    {
        Name = ChartMetadata.Sanitize(Name);
        Email = ChartMetadata.Sanitize(Email);
        Url = ChartMetadata.Sanitize(Url);
    }

    public JsonObject ToJson()
    {
        var o = new JsonObject();
        ChartMetadata.AddString(o, "name", Name);
        ChartMetadata.AddString(o, "email", Email);
        ChartMetadata.AddString(o, "url", Url);
        return o;
    }
}
