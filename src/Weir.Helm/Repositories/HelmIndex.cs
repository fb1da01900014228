using System.Text;
using System.Text.Json.Nodes;
using Semver;
using Weir.Core.Versioning;
using Weir.Core.Yaml;

namespace Weir.Helm.Repositories;

/// <summary>An index or a chart version in it is unusable; the message reads as Helm's.</summary>
public sealed class HelmIndexException(string message) : Exception(message);

/// <summary>One chart version listed in an index: where to download it and when it was created.</summary>
public sealed record HelmChartVersion(string Name, string Version, IReadOnlyList<string> Urls, DateTimeOffset? Created, string? Digest);

/// <summary>
/// A Helm repository's <c>index.yaml</c>, read as Helm reads it (YAML or JSON; <c>apiVersion</c> required; entries
/// without a name or a semver version dropped), and chart version selection as source-controller does it: an exact
/// version string first, else the newest version satisfying the constraint (<c>*</c> or empty: newest stable).
/// </summary>
public sealed class HelmIndex
{
    /// <summary>source-controller's MaxIndexSize: 50 MiB.</summary>
    public const long MaxSize = 50L * 1024 * 1024;

    private readonly Dictionary<string, List<HelmChartVersion>> _entries;

    private HelmIndex(JsonObject document, Dictionary<string, List<HelmChartVersion>> entries)
    {
        Document = document;
        _entries = entries;
    }

    /// <summary>The index as read (what is stored as the artifact, written as JSON as Flux does).</summary>
    public JsonObject Document { get; }

    public IReadOnlyCollection<string> ChartNames => _entries.Keys;

    /// <exception cref="HelmIndexException">The bytes are not a Helm index.</exception>
    public static HelmIndex Parse(byte[] content)
    {
        if (content.Length == 0)
        {
            throw new HelmIndexException("empty index.yaml file");
        }

        if (content.Length > MaxSize)
        {
            throw new HelmIndexException($"index exceeds the maximum index file size of {MaxSize} bytes");
        }

        JsonNode? node;
        try
        {
            node = KubeYaml.ParseFirst(Encoding.UTF8.GetString(content), new YamlOptions { MaxDocumentBytes = MaxSize });
        }
        catch (YamlException e)
        {
            throw new HelmIndexException($"error unmarshaling JSON: {e.Message}");
        }

        if (node is not JsonObject document)
        {
            throw new HelmIndexException(node is null ? "empty index.yaml file"
                : "error unmarshaling JSON: json: cannot unmarshal " + node.GetValueKind().ToString().ToLowerInvariant() + " into Go value of type repo.IndexFile");
        }

        if (document["apiVersion"] is not JsonValue apiVersion || apiVersion.ToString().Length == 0)
        {
            throw new HelmIndexException("no API version specified");
        }

        var entries = new Dictionary<string, List<HelmChartVersion>>(StringComparer.Ordinal);
        foreach (var (name, list) in document["entries"] as JsonObject ?? [])
        {
            var versions = new List<HelmChartVersion>();
            foreach (var entry in (list as JsonArray ?? []).OfType<JsonObject>())
            {
                if (Read(entry) is { } version && version.Name.Length > 0 && LooseVersion.TryParse(version.Version, out _, out _))
                {
                    versions.Add(version);
                }
            }

            entries[name] = versions;
        }

        return new HelmIndex(document, entries);
    }

    /// <summary>The version of <paramref name="chart"/> that <paramref name="constraint"/> selects.</summary>
    /// <exception cref="HelmIndexException">No such chart or no matching version (source-controller's messages).</exception>
    public HelmChartVersion Select(string chart, string? constraint)
    {
        if (!_entries.TryGetValue(chart, out var versions))
        {
            throw new HelmIndexException("no chart name found");
        }

        if (versions.Count == 0)
        {
            throw new HelmIndexException("no chart version found");
        }

        return SelectVersion(versions, chart, constraint, v => v.Version, v => v.Created);
    }

    /// <summary>
    /// The newest of <paramref name="candidates"/> (by <paramref name="version"/>) matching <paramref name="constraint"/>,
    /// an exact string match winning outright; equal versions are ordered by <paramref name="created"/>.
    /// </summary>
    public static T SelectVersion<T>(IReadOnlyList<T> candidates, string chart, string? constraint, Func<T, string> version,
        Func<T, DateTimeOffset?>? created = null)
    {
        if (!string.IsNullOrEmpty(constraint) && candidates.FirstOrDefault(c => version(c) == constraint) is { } exact)
        {
            return exact;
        }

        var text = string.IsNullOrEmpty(constraint) ? "*" : constraint;
        if (!SemverConstraint.TryParse(text, out var parsed, out var error))
        {
            throw new HelmIndexException(error);
        }

        T? best = default;
        SemVersion? bestVersion = null;
        foreach (var candidate in candidates)
        {
            if (!LooseVersion.TryParse(version(candidate), out var v, out _) || !parsed.Check(v))
            {
                continue;
            }

            var order = bestVersion is null ? 1 : LooseVersion.Compare(v, bestVersion);
            if (order > 0 || (order == 0 && created is not null && created(candidate) > created(best!)))
            {
                best = candidate;
                bestVersion = v;
            }
        }

        return bestVersion is not null ? best! : throw new HelmIndexException($"no '{chart}' chart with version matching '{constraint}' found");
    }

    /// <summary>The download URL of a chart version: its first URL, resolved against the repository URL as Helm does.</summary>
    public static Uri ResolveUrl(Uri repository, HelmChartVersion version)
    {
        if (version.Urls.Count == 0)
        {
            throw new HelmIndexException($"chart '{version.Name}' has no downloadable URLs");
        }

        var reference = version.Urls[0];
        if (Uri.TryCreate(reference, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute;
        }

        var baseUrl = repository.ToString().TrimEnd('/') + "/";
        return Uri.TryCreate(new Uri(baseUrl), reference, out var resolved)
            ? resolved
            : throw new HelmIndexException($"invalid chart URL format '{reference}'");
    }

    private static HelmChartVersion? Read(JsonObject entry)
    {
        if (entry["name"] is not JsonValue name || entry["version"] is not JsonValue version)
        {
            return null;
        }

        var urls = (entry["urls"] as JsonArray ?? []).OfType<JsonValue>().Select(u => u.ToString()).ToList();
        var created = entry["created"] is JsonValue c && DateTimeOffset.TryParse(c.ToString(), out var at) ? at : (DateTimeOffset?)null;
        return new HelmChartVersion(name.ToString(), version.ToString(), urls, created, entry["digest"]?.ToString());
    }
}
