using System.Text.Json.Nodes;
using Weir.Kustomize.Build;
using Weir.Kustomize.Loading;

namespace Weir.Testing;

/// <summary>One case of the shared kustomize corpus: an input tree and what kubectl kustomize printed (or that it failed).</summary>
public sealed record CorpusCase(string Name, string Directory, string Build, bool ExpectError, LoadRestriction Restriction)
{
    public string Input => Path.Combine(Directory, "input");

    public string BuildDirectory => Path.GetFullPath(Path.Combine(Input, Build));

    public string ExpectedText => File.ReadAllText(Path.Combine(Directory, "expected.yaml"));

    public BuildOptions Options => new(Restriction);

    public static IReadOnlyList<CorpusCase> All()
    {
        var root = Path.Combine(TestPaths.Corpus, "kustomize");
        var cases = new List<CorpusCase>();
        foreach (var line in File.ReadLines(Path.Combine(root, "index.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var entry = JsonNode.Parse(line)!.AsObject();
            var name = entry["case"]!.GetValue<string>();
            var flags = (entry["flags"] as JsonArray)?.Select(f => f!.GetValue<string>()).ToList() ?? [];
            cases.Add(new CorpusCase(
                name,
                Path.Combine(root, name),
                entry["build"]?.GetValue<string>() ?? ".",
                entry["expect"]?.GetValue<string>() == "error",
                flags.Contains("LoadRestrictionsNone") ? LoadRestriction.None : LoadRestriction.RootOnly));
        }

        return cases;
    }
}
