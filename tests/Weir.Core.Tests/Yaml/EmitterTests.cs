using System.Text.Json.Nodes;
using Weir.Core.Yaml;

namespace Weir.Core.Tests.Yaml;

/// <summary>
/// Serialize must print what kubectl prints (sigs.k8s.io/yaml Marshal, via the oracle's Helm toYaml, stored in
/// emit-answers.jsonl), and what it prints must read back to the same JSON.
/// </summary>
public class EmitterTests
{
    private static readonly YamlOptions Sorted = new() { SortKeys = true };

    // Where we print differently from kubectl on purpose.
    private static readonly Dictionary<string, string> Deviations = new()
    {
        // kubectl prints a << key plain, which reads back as a merge key.
        ["merge/quoted-key"] = "c:\n  \"<<\":\n    x: 1\n",
        ["emit/key-lt-lt"] = "\"<<\": 1\n",

        // kubectl's JSON-to-YAML pass reads a raw NEL in the JSON text as a line break and folds it to a space.
        ["emit/value-nel"] = "a: \"a\\Nb\"\nlist:\n- \"a\\Nb\"\n",

        // kubectl cannot print DEL at all (its JSON-to-YAML pass rejects the raw control character).
        ["emit/value-del"] = "a: \"a\\x7Fb\"\nlist:\n- \"a\\x7Fb\"\n",
    };

    public static TheoryData<string> EmitCaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in YamlTestData.ReadLines("emit-answers.jsonl"))
        {
            data.Add((string)c["name"]!);
        }

        return data;
    }

    public static TheoryData<string> ParsedCaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in YamlTestData.ReadLines("oracle-answers.jsonl").Where(c => c.ContainsKey("json")))
        {
            data.Add((string)c["name"]!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EmitCaseNames))]
    public void PrintsLikeSigsYamlMarshal(string name)
    {
        var answer = YamlTestData.ReadLines("emit-answers.jsonl").Single(a => (string)a["name"]! == name);
        var ours = KubeYaml.Serialize(answer["data"]?.DeepClone(), Sorted);

        if (Deviations.TryGetValue(name, out var deliberate))
        {
            Assert.NotEqual((string)answer["expected"]! + "\n", ours);
            Assert.Equal(deliberate, ours);
            return;
        }

        // Helm's toYaml trims the final newline.
        Assert.Equal((string)answer["expected"]! + "\n", ours);
    }

    [Theory]
    [MemberData(nameof(ParsedCaseNames))]
    public void SerializedDocumentsReadBackUnchanged(string name)
    {
        var answer = YamlTestData.ReadLines("oracle-answers.jsonl").Single(a => (string)a["name"]! == name);
        var original = KubeYaml.ParseFirst((string)answer["yaml"]!);
        var yaml = KubeYaml.Serialize(original);
        var again = KubeYaml.ParseFirst(yaml);
        Assert.True(YamlTestData.SameJson(original, again), "printed:\n" + (yaml.Length > 2000 ? yaml[..2000] : yaml));
        if (original is JsonObject obj && again is JsonObject back)
        {
            Assert.Equal(obj.Select(p => p.Key), back.Select(p => p.Key));
        }
    }

    [Fact]
    public void KeepsInsertionOrderUnlessAskedToSort()
    {
        var node = new JsonObject { ["b"] = 1, ["a"] = new JsonArray(1, 2), ["a10"] = true, ["a9"] = "x" };
        Assert.Equal("b: 1\na:\n- 1\n- 2\na10: true\na9: x\n", KubeYaml.Serialize(node));
        Assert.Equal("a:\n- 1\n- 2\na9: x\na10: true\nb: 1\n", KubeYaml.Serialize(node, Sorted));
    }

    [Fact]
    public void SerializeAllSeparatesDocumentsLikeKustomize()
    {
        var docs = new JsonNode?[] { new JsonObject { ["a"] = 1 }, new JsonObject { ["b"] = new JsonObject() } };
        Assert.Equal("a: 1\n---\nb: {}\n", KubeYaml.SerializeAll(docs));
    }

    [Fact]
    public void LoneSurrogatesArePrintedAsReplacementCharacters()
    {
        var node = new JsonObject { ["a"] = "x\uD800y" };
        Assert.Equal("a: x\uFFFDy\n", KubeYaml.Serialize(node));
    }

    [Fact]
    public void PrintsNumbersAsKubectlDoes()
    {
        var node = new JsonObject
        {
            ["int"] = 3,
            ["long"] = long.MaxValue,
            ["wholeDouble"] = 1e6,
            ["fraction"] = 0.5,
            ["big"] = 1e21,
            ["decimal"] = 2.50m,
        };
        Assert.Equal(
            "int: 3\nlong: 9223372036854775807\nwholeDouble: 1000000\nfraction: 0.5\nbig: 1e+21\ndecimal: 2.5\n",
            KubeYaml.Serialize(node));
    }
}
