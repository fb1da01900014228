using System.Text.Json.Nodes;
using Weir.Core.Versioning;

namespace Weir.Core.Tests.Versioning;

/// <summary>Our Masterminds constraint implementation against the Go oracle's stored answers.</summary>
public class SemverOracleTests
{
    private static readonly string CasesFile = TestPaths.TestData("semver", "cases.jsonl");

    private static List<JsonObject> StoredCases() =>
        [.. File.ReadAllLines(CasesFile).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject())];

    [Fact]
    public void EveryStoredOracleAnswerIsReproduced()
    {
        var cases = StoredCases();
        Assert.True(cases.Count >= 500, $"only {cases.Count} cases");
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var constraint = (string)c["constraint"]!;
            var version = (string)c["version"]!;
            var ours = Answer(constraint, version);
            var expected = c["error"] is { } e ? "error: " + (string)e! : "matches: " + (bool)c["matches"]!;
            if (ours != expected)
            {
                failures.Add($"'{constraint}' vs '{version}': oracle {expected}, ours {ours}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task StoredAnswersStillHoldAgainstTheOracle()
    {
        var cases = StoredCases();
        var input = string.Concat(cases.Select(c =>
            new JsonObject { ["constraint"] = (string)c["constraint"]!, ["version"] = (string)c["version"]! }.ToJsonString() + "\n"));
        var (code, output, stderr) = await TestProcess.RunAsync(TestPaths.Oracle, ["semver"], input: input);
        Assert.True(code == 0, stderr);
        var fresh = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(cases.Count, fresh.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(cases[i], fresh[i]), $"oracle now answers {fresh[i]!.ToJsonString()} for stored {cases[i].ToJsonString()}");
        }
    }

    private static string Answer(string constraint, string version)
    {
        if (!SemverConstraint.TryParse(constraint, out var c, out var error))
        {
            return "error: constraint: " + error;
        }
        if (!LooseVersion.TryParse(version, out var v, out error))
        {
            return "error: version: " + error;
        }
        return "matches: " + c.Check(v);
    }
}
