using System.Text.Json.Nodes;
using Xunit;

namespace Weir.Testing;

/// <summary>The Go reference oracle (shared/oracles/go): one process per call, one JSON answer per JSON request line.</summary>
public static class GoOracle
{
    public static List<JsonObject> Run(string mode, string input)
    {
        var oracle = TestPaths.Oracle;
        var (code, stdout, stderr) = TestProcess.Run(oracle, [mode], input: input);
        Assert.True(code == 0, "oracle failed: " + stderr);
        return [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];
    }

    /// <summary>Go's answers to templates run with Sprig (and Helm's functions when funcs is "helm"): output or error text.</summary>
    public static List<(string? Output, string? Error)> Templates(IEnumerable<string> templates, string funcs = "sprig", JsonNode? data = null)
    {
        var input = string.Join('\n', templates.Select(t => new JsonObject
        {
            ["name"] = "case",
            ["template"] = t,
            ["data"] = data?.DeepClone() ?? new JsonObject(),
            ["funcs"] = funcs,
        }.ToJsonString()));
        return Run("template", input).Select(a => ((string?)a["expected"], (string?)a["error"])).ToList();
    }
}
