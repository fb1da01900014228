using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.Yaml;

namespace Weir.Bench.Fleets;

/// <summary>What a fleet repository holds: its kustomization directories and the objects of its YAML files.</summary>
public static class FleetFiles
{
    private static readonly string[] KustomizationNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    /// <summary>Every directory with a kustomization file that is not a Component (those build only inside another).</summary>
    public static IEnumerable<string> KustomizationDirectories(string root) =>
        Directories(root).Where(d => KustomizationFile(d) is { } file && !File.ReadAllText(file).Contains("kind: Component", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public static string? KustomizationFile(string dir) =>
        KustomizationNames.Select(n => Path.Combine(dir, n)).FirstOrDefault(File.Exists);

    /// <summary>Every object in every YAML file (files that do not parse are skipped), with the file it came from.</summary>
    public static IEnumerable<(string File, JsonObject Object)> Objects(string root)
    {
        foreach (var dir in Directories(root))
        {
            foreach (var file in Directory.EnumerateFiles(dir).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal))
            {
                IReadOnlyList<JsonNode?> docs;
                try
                {
                    docs = KubeYaml.ParseAll(File.ReadAllText(file));
                }
                catch (YamlException)
                {
                    continue;
                }

                foreach (var doc in docs.OfType<JsonObject>())
                {
                    yield return (file, doc);
                }
            }
        }
    }

    /// <summary>The data of a ConfigMap or Secret of the repository (sops-encrypted ones are unreadable: null).</summary>
    public static IReadOnlyDictionary<string, string>? Data(JsonObject obj)
    {
        if (obj.ContainsKey("sops"))
        {
            return null;
        }

        var data = new Dictionary<string, string>();
        foreach (var (k, v) in obj["data"] as JsonObject ?? [])
        {
            var text = v?.ToString() ?? "";
            data[k] = obj.Kind() == "Secret" ? DecodeOrKeep(text) : text;
        }

        foreach (var (k, v) in obj["stringData"] as JsonObject ?? [])
        {
            data[k] = v?.ToString() ?? "";
        }

        return data;
    }

    private static string DecodeOrKeep(string text)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return text;
        }
    }

    private static IEnumerable<string> Directories(string root)
    {
        yield return root;
        foreach (var dir in Directory.EnumerateDirectories(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            if (!Path.GetRelativePath(root, dir).Split(Path.DirectorySeparatorChar).Any(p => p.StartsWith('.')))
            {
                yield return dir;
            }
        }
    }
}
