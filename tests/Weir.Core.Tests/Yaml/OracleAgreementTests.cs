using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Core.Yaml;

namespace Weir.Core.Tests.Yaml;

/// <summary>
/// Every case in cases.jsonl must read exactly as sigs.k8s.io/yaml's YAMLToJSON read it (answers stored in
/// oracle-answers.jsonl by regen-oracle.sh), and the stored answers must still be what the oracle says.
/// </summary>
public class OracleAgreementTests
{
    private static readonly JsonSerializerOptions DeepJson = new() { MaxDepth = 1_000_000 };

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in YamlTestData.ReadLines("oracle-answers.jsonl"))
        {
            data.Add((string)c["name"]!);
        }

        return data;
    }

    [Fact]
    public void TestDataHasAtLeast220Cases()
    {
        var cases = YamlTestData.ReadLines("cases.jsonl");
        var answers = YamlTestData.ReadLines("oracle-answers.jsonl");
        Assert.True(cases.Count >= 220, $"only {cases.Count} cases");
        Assert.Equal(cases.Select(c => (string)c["name"]!), answers.Select(a => (string)a["name"]!));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ReadsLikeSigsYaml(string name)
    {
        var answer = YamlTestData.ReadLines("oracle-answers.jsonl").Single(a => (string)a["name"]! == name);
        var yaml = (string)answer["yaml"]!;
        JsonNode? ours;
        try
        {
            ours = KubeYaml.ParseFirst(yaml);
        }
        catch (YamlException e)
        {
            Assert.True(answer.ContainsKey("error"), $"we failed ({e.Message}) but the oracle read {Shorten((string?)answer["json"])}");
            Assert.Matches("^(yaml|json): ", e.Message);
            return;
        }

        var oursText = YamlTestData.OnLargeStack(() => ours?.ToJsonString(DeepJson) ?? "null");
        Assert.False(answer.ContainsKey("error"), $"the oracle failed ({answer["error"]}) but we read {Shorten(oursText)}");
        var oracleText = (string)answer["json"]!;
        if (oracleText == oursText)
        {
            return;
        }

        Assert.True(YamlTestData.SameJson(YamlTestData.ParseDeep(oracleText), ours), $"oracle: {Shorten(oracleText)}\nours:   {Shorten(oursText)}");
    }

    [Fact]
    public void StoredAnswersAreStillTheOraclesAnswers()
    {
        var fresh = GoOracle.Run("yaml", File.ReadAllText(YamlTestData.DataFile("cases.jsonl")));
        var stored = YamlTestData.ReadLines("oracle-answers.jsonl");
        Assert.Equal(stored.Count, fresh.Count);
        for (var i = 0; i < stored.Count; i++)
        {
            Assert.Equal((string?)stored[i]["json"], (string?)fresh[i]["json"]);
            Assert.Equal((string?)stored[i]["error"], (string?)fresh[i]["error"]);
        }
    }

    [Fact]
    public void StoredEmitAnswersAreStillTheOraclesAnswers()
    {
        var stored = YamlTestData.ReadLines("emit-answers.jsonl");
        var requests = string.Join('\n', stored.Select(s =>
        {
            var request = s.DeepClone().AsObject();
            request.Remove("expected");
            return request.ToJsonString();
        }));
        var fresh = GoOracle.Run("template", requests);
        Assert.Equal(stored.Count, fresh.Count);
        for (var i = 0; i < stored.Count; i++)
        {
            Assert.Equal((string?)stored[i]["expected"], (string?)fresh[i]["expected"]);
        }
    }

    private static string Shorten(string? s) => s is null ? "null" : s.Length > 300 ? s[..300] + "…" : s;
}
