using System.Text.Json.Nodes;
using Xunit;

namespace Weir.Testing;

/// <summary>One answer of drone/envsubst: the expansion, or its error.</summary>
public sealed record EnvsubstAnswer(string Input, string? Output, string? Error);

/// <summary>Runs <c>.tools/envsubst-oracle</c> (drone/envsubst) over many inputs in one process.</summary>
public static class EnvsubstOracle
{
    public static IReadOnlyList<EnvsubstAnswer> Evaluate(IReadOnlyList<string> inputs, IReadOnlyDictionary<string, string> vars)
    {
        var oracle = TestPaths.EnvsubstOracle;
        var variables = new JsonObject(vars.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)JsonValue.Create(v.Value))));
        var lines = inputs.Select(i => new JsonObject { ["input"] = i, ["vars"] = variables.DeepClone() }.ToJsonString() + "\n");
        var (code, stdout, stderr) = TestProcess.Run(oracle, [], input: string.Concat(lines));
        Assert.True(code == 0, stderr);
        var answers = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .Select(a => new EnvsubstAnswer((string)a["input"]!, (string?)a["output"], (string?)a["error"]))
            .ToList();
        Assert.Equal(inputs.Count, answers.Count);
        return answers;
    }

    public static EnvsubstAnswer Evaluate(string input, IReadOnlyDictionary<string, string> vars) => Evaluate([input], vars)[0];
}
