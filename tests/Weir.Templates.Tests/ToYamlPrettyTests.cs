using System.Text.Json.Nodes;

namespace Weir.Templates.Tests;

/// <summary>Helm's toYamlPretty is yaml.v3's encoder (not sigs.k8s.io/yaml): Go's answers from the oracle in the same run.</summary>
public class ToYamlPrettyTests
{
    private const string Data = """
        {"long": "word word word word word word word word word word word word word word word word word word word word word word",
         "nl": "a\nb\n", "tr": "x  \ny", "lst": [[1, 2], [], [{"a": []}], [[3]]], "k:ey": 1, "uni": "日本語", "tab": "a\tb",
         "q": "\"quoted\"", "neg": -0.0, "sm": 1e-7, "big": 1.5e300, "i": 7, "f": 7.5, "million": 1000000, "u": 123456789012,
         "obj": {"nested": {"deep": [1.0, 2.5, 1e20]}}, "on": "on", "y": "y", "empty": "", "colon": "a: b", "dash": "- x",
         "m": {}, "n": null, "t": true}
        """;

    [Theory]
    [InlineData("float")]
    [InlineData("int")]
    public void ToYamlPrettyWritesAsYamlV3(string numbers)
    {
        var data = JsonNode.Parse(Data);
        string[] templates =
        [
            "{{ toYamlPretty . }}",
            "{{ toYamlPretty .lst }}",
            "{{ toYamlPretty .million }}|{{ toYamlPretty .f }}|{{ toYamlPretty .n }}|{{ toYamlPretty .m }}",
            "{{ toYamlPretty (list 1 2.5 \"x\" (dict \"a\" (list))) }}",
            "{{ toYamlPretty (duration 90) }}|{{ toYamlPretty (int64 3) }}|{{ toYamlPretty (float64 3) }}",
        ];
        var input = string.Join('\n', templates.Select(t => new JsonObject
        {
            ["name"] = "case",
            ["template"] = t,
            ["data"] = data?.DeepClone(),
            ["funcs"] = "helm",
            ["numbers"] = numbers,
        }.ToJsonString()));
        var go = GoOracle.Run("template", input);
        for (var i = 0; i < templates.Length; i++)
        {
            var (output, error) = CaseRunner.Run(templates[i], data, "helm", numbers);
            Assert.True(error is null, error);
            Assert.Equal((string?)go[i]["expected"], output);
        }
    }
}
